import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from '../types.js';
import { recoGymAction } from './action.js';
import { type RecoGymHistory, type RecoGymLogisticFitOptions, RecoGymLogisticModel } from './logisticModel.js';
import { checkRange, type RecoGymAgentBaseOptions, resolveAgentOptions } from './options.js';
import { RecoGymViewCounts } from './viewCounts.js';

/** Options of `RecoGymLogregAgent`. */
export interface RecoGymLogregOptions extends RecoGymAgentBaseOptions {
  /** Prior precision (L2) of the per-action biases. Default 10. */
  readonly l2Bias?: number;
  /** Prior precision (L2) of the history × action weights. Default 100. */
  readonly l2Cross?: number;
  /** L-BFGS iteration limit. Default 300. */
  readonly maxIterations?: number;
}

/**
 * A learned agent (RecoGym's "Likelihood" family): `train` records, for every logged impression,
 * the user's organic view counts so far, the action and the click; the first `act` after new data
 * fits a `RecoGymLogisticModel` by maximum likelihood. `act` recommends the product with the
 * highest predicted click probability for this user's history (greedy, ps = 1).
 */
export class RecoGymLogregAgent implements RecoGymAgent {
  /** The click model (all zeros until fitted). */
  readonly model: RecoGymLogisticModel;
  /** Mean log loss of the last fit's final epoch (NaN before the first fit). */
  lastLoss = Number.NaN;
  private readonly trainViews: RecoGymViewCounts;
  private readonly actViews: RecoGymViewCounts;
  private readonly snapshots: RecoGymHistory[] = [];
  private readonly snapshotOf: number[] = [];
  private readonly actions: number[] = [];
  private readonly clicks: number[] = [];
  private fittedRows = 0;
  private currentSnapshot = -1;
  private snapshotUser = -1;
  private actUser = -1;
  /** The greedy action for the current user's history; -1 when it must be recomputed. */
  private cachedAction = -1;
  private readonly withPsAll: boolean;
  private readonly fitOptions: RecoGymLogisticFitOptions;

  /** A logistic-regression agent over `numProducts` products. */
  constructor(options: RecoGymLogregOptions = {}) {
    const name = 'RecoGymLogregAgent';
    const resolved = resolveAgentOptions(name, options, ['l2Bias', 'l2Cross', 'maxIterations']);
    this.model = new RecoGymLogisticModel(resolved.numProducts);
    this.withPsAll = resolved.withPsAll;
    this.trainViews = new RecoGymViewCounts(resolved.numProducts);
    this.actViews = new RecoGymViewCounts(resolved.numProducts);
    this.fitOptions = {
      l2Bias: checkRange(name, 'l2Bias', options.l2Bias ?? 10, 0, 1e9),
      l2Cross: checkRange(name, 'l2Cross', options.l2Cross ?? 100, 0, 1e9),
      maxIterations: Math.round(checkRange(name, 'maxIterations', options.maxIterations ?? 300, 1, 1e6)),
    };
  }

  /** How many logged impressions the agent holds. */
  get numRows(): number {
    return this.actions.length;
  }

  train(observation: RecoGymObservation, action: RecoGymAction | null, reward: number | null, done: boolean): void {
    if (this.snapshotUser !== observation.context.user) this.currentSnapshot = -1;
    const newViews = this.trainViews.observe(observation);
    this.snapshotUser = observation.context.user;
    if (action !== null) {
      if (newViews || this.currentSnapshot < 0) {
        const { counts, total, viewed } = this.trainViews;
        this.snapshots.push({ counts: Float64Array.from(counts), total, viewed: Int32Array.from(viewed) });
        this.currentSnapshot = this.snapshots.length - 1;
      }
      this.snapshotOf.push(this.currentSnapshot);
      this.actions.push(action.a);
      this.clicks.push(reward === 1 ? 1 : 0);
    }
    if (done) {
      this.trainViews.reset();
      this.currentSnapshot = -1;
    }
  }

  /** Fits the model to every impression recorded so far. Called by the first `act` after new data. */
  fit(): void {
    this.lastLoss = this.model.fit(
      { snapshots: this.snapshots, snapshotOf: this.snapshotOf, actions: this.actions, clicks: this.clicks },
      this.fitOptions,
    );
    this.fittedRows = this.actions.length;
  }

  act(observation: RecoGymObservation): RecoGymAction {
    if (this.fittedRows !== this.actions.length) {
      this.fit();
      this.cachedAction = -1;
    }
    const userBefore = this.actUser;
    if (this.actViews.observe(observation) || observation.context.user !== userBefore) this.cachedAction = -1;
    this.actUser = observation.context.user;
    if (this.cachedAction < 0) this.cachedAction = this.model.argmax(this.actViews);
    const a = this.cachedAction;
    const psA = this.withPsAll ? Float64Array.from({ length: this.model.numProducts }, (_, i) => (i === a ? 1 : 0)) : undefined;
    return recoGymAction(observation, a, 1, psA);
  }

  reset(): void {
    this.actViews.reset();
    this.cachedAction = -1;
  }
}
