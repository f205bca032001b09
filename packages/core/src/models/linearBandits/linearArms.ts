import { DataError, describeValue } from '../../errors.js';
import type { Rng } from '../../rng.js';
import { argmaxRows } from './argmaxRows.js';
import { checkFeatureRows, checkIndices, checkOutput, checkRewards, checkRows } from './inputChecks.js';
import { type Features, type LinearArmsState, type LinearArmsTensors, RidgeArms } from './ridgeArms.js';

export { type Features, LINEAR_ARMS_TENSORS, type LinearArmsState } from './ridgeArms.js';

/** Options of `LinearArms` (RLlib's bandit model options). */
export interface LinearArmsOptions {
  /** Number of arms, each with its own regression. */
  readonly numArms: number;
  /** Context length d. */
  readonly featureDim: number;
  /** Ridge λ: A starts as λI; default 1 (RLlib's `lambda_` of the discrete models; its parametric model uses 0.1). */
  readonly lambda?: number;
  /** Exploration scale α: the UCB bonus is α√(xᵀA⁻¹x) and Thompson samples have covariance α²A⁻¹; default 1. */
  readonly alpha?: number;
}

const NAME = 'LinearArms';

/**
 * Per-arm online ridge regression, as RLlib's LinUCB / LinTS bandits keep it: for each arm,
 * A = λI + Σ xxᵀ and b = Σ r·x over the contexts x in which the arm was pulled and the rewards r it
 * paid, and θ̂ = A⁻¹b. A⁻¹ is kept up to date by Sherman–Morrison rank-one updates (O(d²) per
 * observation, no inversion). Acting scores every arm for each context row and writes the argmax
 * (the first arm on a tie) as a float32 action:
 * - UCB: θ̂ₐᵀx + α·√(xᵀAₐ⁻¹x);
 * - Thompson sampling: θ̃ₐᵀx with a fresh θ̃ₐ ~ N(θ̂ₐ, α²Aₐ⁻¹) per row and arm, drawn through the
 *   Cholesky factor of the precision, Aₐ = LLᵀ: θ̃ = θ̂ + α·L⁻ᵀz with z ~ N(0, I), since
 *   Cov(L⁻ᵀz) = L⁻ᵀL⁻¹ = (LLᵀ)⁻¹ = A⁻¹. Factoring A (eigenvalues >= λ, sums of exact outer products)
 *   rather than A⁻¹ keeps the factor well conditioned; it is computed once per arm after each change;
 * - greedy: θ̂ₐᵀx.
 * Differences from RLlib: RLlib's torch model scales A⁻¹ by α (bonus √α·√(xᵀA⁻¹x)) and samples TS from
 * N(θ̂, A⁻¹) or N(θ̂, αA⁻¹) depending on the version, and draws one θ̃ per forward call for the whole
 * batch; with the default α = 1 the scores have the same distribution.
 */
export class LinearArms {
  private readonly arms: RidgeArms;

  /** Every arm at its prior: A = λI, A⁻¹ = I/λ, b = θ̂ = 0. */
  constructor(options: LinearArmsOptions) {
    this.arms = new RidgeArms(NAME, { ...options, lambda: options.lambda ?? 1, alpha: options.alpha ?? 1 });
  }

  /** A model continuing from `state` (its settings and tensors). */
  static fromState(state: LinearArmsState): LinearArms {
    const model = new LinearArms(state);
    model.importState(state);
    return model;
  }

  /** Number of arms. */
  get numArms(): number {
    return this.arms.numArms;
  }

  /** Context length d. */
  get featureDim(): number {
    return this.arms.featureDim;
  }

  /** Ridge λ. */
  get lambda(): number {
    return this.arms.lambda;
  }

  /** Exploration scale α. */
  get alpha(): number {
    return this.arms.alpha;
  }

  /** Copies of the settings and tensors (transferable; the model keeps its own). */
  exportState(): LinearArmsState {
    return this.arms.exportState();
  }

  /**
   * Replaces the learned tensors with `state`'s (e.g. weights synced from the learner; Float64Array or
   * Float32Array tensors). The sizes must match this model's and every entry must be finite; λ and α
   * stay this model's. Thompson factors are recomputed on first use.
   */
  importState(state: LinearArmsTensors): void {
    this.arms.importState(`${NAME}.importState`, state);
  }

  /** θ̂ₐᵀx for the context at `offset` of `contexts`. */
  mean(arm: number, contexts: Features, offset = 0): number {
    this.loadOne(`${NAME}.mean`, arm, contexts, offset);
    return this.arms.mean(arm);
  }

  /** The UCB bonus α·√(xᵀAₐ⁻¹x) for the context at `offset`. */
  bonus(arm: number, contexts: Features, offset = 0): number {
    this.loadOne(`${NAME}.bonus`, arm, contexts, offset);
    return this.arms.bonus(arm);
  }

  /** One draw θ̃ ~ N(θ̂ₐ, α²Aₐ⁻¹) from `rng`, written into `out` (d entries). */
  sampleTheta(arm: number, rng: Rng, out: Float64Array = new Float64Array(this.featureDim)): Float64Array {
    this.checkArm(`${NAME}.sampleTheta`, arm);
    if (!(out instanceof Float64Array) || out.length !== this.featureDim) {
      throw new DataError(`${NAME}.sampleTheta: out must be a Float64Array of ${this.featureDim} entries, got ${describeValue(out)}`);
    }
    this.arms.drawTheta(arm, rng, out);
    return out;
  }

  /** Folds the observations (contexts[row], arms[row], rewards[row]) into the arms' statistics, row by row; checks all rows first. */
  update(contexts: Features, arms: ArrayLike<number>, rewards: ArrayLike<number>): void {
    const where = `${NAME}.update`;
    const rows = arms?.length;
    checkRows(where, rows);
    checkIndices(where, 'arms', arms, rows, this.numArms, 'an arm index');
    checkFeatureRows(where, 'contexts', contexts, rows, this.featureDim, 'featureDim');
    checkRewards(where, rewards, rows);
    for (let row = 0; row < rows; row++) {
      this.arms.load(contexts, row * this.featureDim);
      this.arms.update(arms[row] as number, rewards[row] as number);
    }
  }

  /** The UCB arm for each of `rows` contexts ([rows × d]) into `out`; `scores` ([rows × numArms]) gets every arm's UCB. */
  selectUcb(contexts: Features, rows: number, out?: Float32Array, scores?: Float32Array): Float32Array {
    return this.select(`${NAME}.selectUcb`, contexts, rows, out, scores, (arm) => this.arms.mean(arm) + this.arms.bonus(arm));
  }

  /**
   * The Thompson-sampling arm for each of `rows` contexts, drawing θ̃ per row and arm from `rng` (rows in
   * order, arms in order, d normals each, so a seeded stream repeats exactly); `scores` gets θ̃ₐᵀx.
   */
  selectThompson(contexts: Features, rows: number, rng: Rng, out?: Float32Array, scores?: Float32Array): Float32Array {
    return this.select(`${NAME}.selectThompson`, contexts, rows, out, scores, (arm) => this.arms.thompson(arm, rng));
  }

  /** The arm with the highest estimate θ̂ₐᵀx for each of `rows` contexts (no exploration); `scores` gets θ̂ₐᵀx. */
  selectGreedy(contexts: Features, rows: number, out?: Float32Array, scores?: Float32Array): Float32Array {
    return this.select(`${NAME}.selectGreedy`, contexts, rows, out, scores, (arm) => this.arms.mean(arm));
  }

  private checkArm(where: string, arm: number): void {
    if (!Number.isInteger(arm) || arm < 0 || arm >= this.numArms) {
      throw new DataError(`${where}: arm is ${describeValue(arm)}; expected an arm index, an integer in [0, ${this.numArms})`);
    }
  }

  /** Checks one context at `offset` and loads it. */
  private loadOne(where: string, arm: number, contexts: Features, offset: number): void {
    this.checkArm(where, arm);
    if (!(contexts instanceof Float32Array || contexts instanceof Float64Array)) {
      throw new DataError(`${where}: contexts must be a Float32Array or Float64Array, got ${describeValue(contexts)}`);
    }
    const d = this.featureDim;
    if (!Number.isInteger(offset) || offset < 0 || offset + d > contexts.length) {
      throw new DataError(`${where}: offset ${describeValue(offset)} leaves no room for a context of ${d} values in ${contexts.length}`);
    }
    for (let i = offset; i < offset + d; i++) {
      if (!Number.isFinite(contexts[i])) throw new DataError(`${where}: contexts[${i}] is ${contexts[i]}; contexts must be finite`);
    }
    this.arms.load(contexts, offset);
  }

  private select(
    where: string,
    contexts: Features,
    rows: number,
    out: Float32Array | undefined,
    scores: Float32Array | undefined,
    score: (arm: number) => number,
  ): Float32Array {
    checkRows(where, rows);
    checkFeatureRows(where, 'contexts', contexts, rows, this.featureDim, 'featureDim');
    const actions = out ?? new Float32Array(rows);
    checkOutput(where, 'out', actions, rows);
    if (scores !== undefined) checkOutput(where, 'scores', scores, rows * this.numArms);
    const d = this.featureDim;
    return argmaxRows(
      rows,
      this.numArms,
      (_row, arm) => score(arm),
      actions,
      scores,
      (row) => this.arms.load(contexts, row * d),
    );
  }
}
