import { createRng, type Rng } from '@loomrl/core';
import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from '../types.js';
import { recoGymAction } from './action.js';
import { RecoGymLogisticModel } from './logisticModel.js';
import { checkRange, type RecoGymAgentBaseOptions, resolveAgentOptions } from './options.js';
import { RecoGymViewCounts } from './viewCounts.js';

/** Options of `RecoGymLogregAgent`. */
export interface RecoGymLogregOptions extends RecoGymAgentBaseOptions {
  /** Passes over the logged impressions. Default 8. */
  readonly epochs?: number;
  /** Mini-batch size. Default 512. */
  readonly batchSize?: number;
  /** Adam step size. Default 0.02. */
  readonly learningRate?: number;
  /** L2 penalty on the history weights. Default 1e-4. */
  readonly l2?: number;
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
  private readonly snapshots: Array<{ counts: Float64Array; total: number }> = [];
  private readonly snapshotOf: number[] = [];
  private readonly actions: number[] = [];
  private readonly clicks: number[] = [];
  private fittedRows = 0;
  private currentSnapshot = -1;
  private snapshotUser = -1;
  private readonly withPsAll: boolean;
  private readonly rng: Rng;
  private readonly fitOptions: { epochs: number; batchSize: number; learningRate: number; l2: number };

  /** A logistic-regression agent over `numProducts` products. */
  constructor(options: RecoGymLogregOptions = {}) {
    const name = 'RecoGymLogregAgent';
    const resolved = resolveAgentOptions(name, options, ['epochs', 'batchSize', 'learningRate', 'l2']);
    this.model = new RecoGymLogisticModel(resolved.numProducts);
    this.withPsAll = resolved.withPsAll;
    this.trainViews = new RecoGymViewCounts(resolved.numProducts);
    this.actViews = new RecoGymViewCounts(resolved.numProducts);
    this.rng = createRng(resolved.randomSeed, 'recogym-agent', 'logreg');
    this.fitOptions = {
      epochs: Math.round(checkRange(name, 'epochs', options.epochs ?? 8, 1, 10_000)),
      batchSize: Math.round(checkRange(name, 'batchSize', options.batchSize ?? 512, 1, 1e9)),
      learningRate: checkRange(name, 'learningRate', options.learningRate ?? 0.02, 1e-9, 10),
      l2: checkRange(name, 'l2', options.l2 ?? 1e-4, 0, 1e6),
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
        this.snapshots.push({ counts: Float64Array.from(this.trainViews.counts), total: this.trainViews.total });
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
      this.rng,
    );
    this.fittedRows = this.actions.length;
  }

  act(observation: RecoGymObservation): RecoGymAction {
    if (this.fittedRows !== this.actions.length) this.fit();
    this.actViews.observe(observation);
    const a = this.model.argmax(this.actViews.counts, this.actViews.total);
    const psA = this.withPsAll ? Float64Array.from({ length: this.model.numProducts }, (_, i) => (i === a ? 1 : 0)) : undefined;
    return recoGymAction(observation, a, 1, psA);
  }

  reset(): void {
    this.actViews.reset();
  }
}
