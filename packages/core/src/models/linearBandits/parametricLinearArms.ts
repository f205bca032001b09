import { ConfigError, describeValue } from '../../errors.js';
import type { Rng } from '../../rng.js';
import { argmaxRows } from './argmaxRows.js';
import { checkFeatureRows, checkIndices, checkOutput, checkRewards, checkRows } from './inputChecks.js';
import { type Features, type LinearArmsState, type LinearArmsTensors, RidgeArms } from './ridgeArms.js';

/** Options of `ParametricLinearArms` (RLlib's parametric bandit model options). */
export interface ParametricLinearArmsOptions {
  /** Candidates per decision C (RecSim's `numCandidates`). */
  readonly numCandidates: number;
  /** Features per candidate E. */
  readonly featureDim: number;
  /** Ridge λ; default 0.1 (RLlib's parametric models). */
  readonly lambda?: number;
  /** Exploration scale α (UCB bonus α√(xᵀA⁻¹x), Thompson covariance α²A⁻¹); default 1. */
  readonly alpha?: number;
}

const NAME = 'ParametricLinearArms';

/**
 * Arms described by their own features, sharing one ridge regression (RLlib's
 * `ParametricLinearModel{UCB,ThompsonSampling}`, used for RecSim with `wrapForBandits`): each row of
 * input holds C candidates' feature vectors, [C × E] row-major (the flattened `item` observation), and
 * candidate c scores θ̂ᵀx_c + α√(x_cᵀA⁻¹x_c) (UCB), θ̃ᵀx_c with one θ̃ ~ N(θ̂, α²A⁻¹) drawn per row
 * (Thompson sampling), or θ̂ᵀx_c (greedy). The chosen candidate index is the action (with
 * `convertToDiscreteActionSpace` it selects the slate [c, 0, …]). Learning folds (x_chosen, r) into
 * the one regression. RLlib's torch UCB adds 0.3·√(xᵀαA⁻¹x) here; we use the discrete models' bonus.
 * State is a `LinearArmsState` with one arm.
 */
export class ParametricLinearArms {
  readonly numCandidates: number;
  private readonly arm: RidgeArms;
  private readonly theta: Float64Array;

  /** The regression at its prior A = λI. */
  constructor(options: ParametricLinearArmsOptions) {
    const { numCandidates, featureDim } = options;
    if (!Number.isInteger(numCandidates) || numCandidates < 1) {
      throw new ConfigError(`${NAME}: numCandidates must be an integer >= 1, got ${describeValue(numCandidates)}`);
    }
    this.numCandidates = numCandidates;
    this.arm = new RidgeArms(NAME, { numArms: 1, featureDim, lambda: options.lambda ?? 0.1, alpha: options.alpha ?? 1 });
    this.theta = new Float64Array(featureDim);
  }

  /** A model continuing from `state` (one arm) for `numCandidates` candidates per row. */
  static fromState(state: LinearArmsState, numCandidates: number): ParametricLinearArms {
    const model = new ParametricLinearArms({ numCandidates, featureDim: state.featureDim, lambda: state.lambda, alpha: state.alpha });
    model.importState(state);
    return model;
  }

  /** Features per candidate E. */
  get featureDim(): number {
    return this.arm.featureDim;
  }

  /** Ridge λ. */
  get lambda(): number {
    return this.arm.lambda;
  }

  /** Exploration scale α. */
  get alpha(): number {
    return this.arm.alpha;
  }

  /** Copies of the regression's settings and tensors (`numArms` 1). */
  exportState(): LinearArmsState {
    return this.arm.exportState();
  }

  /** Replaces the regression's tensors with `state`'s (one arm of `featureDim` features). */
  importState(state: LinearArmsTensors): void {
    this.arm.importState(`${NAME}.importState`, state);
  }

  /** The UCB candidate of each of `rows` rows of `items` ([rows × C × E]); `scores` ([rows × C]) gets every candidate's UCB. */
  selectUcb(items: Features, rows: number, out?: Float32Array, scores?: Float32Array): Float32Array {
    return this.select(`${NAME}.selectUcb`, items, rows, out, scores, () => this.arm.mean(0) + this.arm.bonus(0));
  }

  /** The Thompson-sampling candidate of each row: one θ̃ ~ N(θ̂, α²A⁻¹) from `rng` per row scores all its candidates. */
  selectThompson(items: Features, rows: number, rng: Rng, out?: Float32Array, scores?: Float32Array): Float32Array {
    return this.select(
      `${NAME}.selectThompson`,
      items,
      rows,
      out,
      scores,
      () => this.arm.scoreWith(this.theta),
      () => this.arm.drawTheta(0, rng, this.theta),
    );
  }

  /** The candidate with the highest estimate θ̂ᵀx_c in each row (no exploration). */
  selectGreedy(items: Features, rows: number, out?: Float32Array, scores?: Float32Array): Float32Array {
    return this.select(`${NAME}.selectGreedy`, items, rows, out, scores, () => this.arm.mean(0));
  }

  /** Folds (items[row][candidates[row]], rewards[row]) into the regression for every row; checks all rows first. */
  update(items: Features, candidates: ArrayLike<number>, rewards: ArrayLike<number>): void {
    const where = `${NAME}.update`;
    const rows = candidates?.length;
    checkRows(where, rows);
    checkIndices(where, 'candidates', candidates, rows, this.numCandidates, 'a candidate index');
    const e = this.featureDim;
    checkFeatureRows(where, 'items', items, rows, this.numCandidates * e, 'numCandidates × featureDim');
    checkRewards(where, rewards, rows);
    for (let row = 0; row < rows; row++) {
      this.arm.load(items, (row * this.numCandidates + (candidates[row] as number)) * e);
      this.arm.update(0, rewards[row] as number);
    }
  }

  private select(
    where: string,
    items: Features,
    rows: number,
    out: Float32Array | undefined,
    scores: Float32Array | undefined,
    score: () => number,
    beginRow?: () => void,
  ): Float32Array {
    checkRows(where, rows);
    const c = this.numCandidates;
    const e = this.featureDim;
    checkFeatureRows(where, 'items', items, rows, c * e, 'numCandidates × featureDim');
    const actions = out ?? new Float32Array(rows);
    checkOutput(where, 'out', actions, rows);
    if (scores !== undefined) checkOutput(where, 'scores', scores, rows * c);
    return argmaxRows(
      rows,
      c,
      (row, candidate) => {
        this.arm.load(items, (row * c + candidate) * e);
        return score();
      },
      actions,
      scores,
      beginRow,
    );
  }
}
