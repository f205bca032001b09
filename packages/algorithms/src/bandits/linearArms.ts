import { ConfigError, DataError, describeValue, type Rng } from '@loomrl/core';
import { checkFeatureRows, checkIndices, checkOutput, checkRewards, checkRows } from './inputChecks.js';
import { choleskyLower, dot, type Features, quadraticForm, shermanMorrisonUpdate, solveTransposedLower } from './ridgeKernels.js';

export type { Features } from './ridgeKernels.js';

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

/**
 * The learned statistics of every arm as named float64 tensors, one flat array per quantity with
 * arm a's block at a·d·d (matrices) or a·d (vectors), plus the settings that made them. Plain data:
 * survives structured clone and transfer; checkpoints store the tensors by name.
 */
export interface LinearArmsState {
  readonly numArms: number;
  readonly featureDim: number;
  readonly lambda: number;
  readonly alpha: number;
  /** A = λI + Σ xxᵀ per arm, [numArms × d × d]. */
  readonly precision: Float64Array;
  /** A⁻¹ per arm, [numArms × d × d] (not scaled by α). */
  readonly covariance: Float64Array;
  /** b = Σ r·x per arm, [numArms × d]. */
  readonly b: Float64Array;
  /** θ̂ = A⁻¹b per arm, [numArms × d]. */
  readonly theta: Float64Array;
}

/** The names of `LinearArmsState`'s tensors, in a fixed order. */
export const LINEAR_ARMS_TENSORS = ['precision', 'covariance', 'b', 'theta'] as const;

type Scorer = (arm: number, contexts: Features, offset: number) => number;

function positiveOption(value: number | undefined, fallback: number, name: string, allowZero: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ConfigError(`LinearArms: ${name} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${describeValue(value)}`);
  }
  return value;
}

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
  readonly numArms: number;
  readonly featureDim: number;
  readonly lambda: number;
  readonly alpha: number;
  private readonly precision: Float64Array;
  private readonly covariance: Float64Array;
  private readonly b: Float64Array;
  private readonly theta: Float64Array;
  /** Lower Cholesky factors of the precisions, valid where `factorValid[a]` is 1. */
  private readonly factors: Float64Array;
  private readonly factorValid: Uint8Array;
  private readonly scratch: Float64Array;

  /** Every arm at its prior: A = λI, A⁻¹ = I/λ, b = θ̂ = 0. */
  constructor(options: LinearArmsOptions) {
    const { numArms, featureDim } = options;
    for (const [name, value] of [
      ['numArms', numArms],
      ['featureDim', featureDim],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new ConfigError(`LinearArms: ${name} must be an integer >= 1, got ${describeValue(value)}`);
    }
    this.numArms = numArms;
    this.featureDim = featureDim;
    this.lambda = positiveOption(options.lambda, 1, 'lambda', false);
    this.alpha = positiveOption(options.alpha, 1, 'alpha', true);
    const d = featureDim;
    this.precision = new Float64Array(numArms * d * d);
    this.covariance = new Float64Array(numArms * d * d);
    this.b = new Float64Array(numArms * d);
    this.theta = new Float64Array(numArms * d);
    this.factors = new Float64Array(numArms * d * d);
    this.factorValid = new Uint8Array(numArms);
    this.scratch = new Float64Array(d);
    for (let a = 0; a < numArms; a++) {
      for (let i = 0; i < d; i++) {
        this.precision[a * d * d + i * d + i] = this.lambda;
        this.covariance[a * d * d + i * d + i] = 1 / this.lambda;
      }
    }
  }

  /** A model continuing from `state` (its settings and tensors). */
  static fromState(state: LinearArmsState): LinearArms {
    const arms = new LinearArms(state);
    arms.importState(state);
    return arms;
  }

  /** Copies of the settings and tensors (transferable; the model keeps its own). */
  exportState(): LinearArmsState {
    return {
      numArms: this.numArms,
      featureDim: this.featureDim,
      lambda: this.lambda,
      alpha: this.alpha,
      precision: this.precision.slice(),
      covariance: this.covariance.slice(),
      b: this.b.slice(),
      theta: this.theta.slice(),
    };
  }

  /**
   * Replaces the learned tensors with `state`'s (e.g. weights synced from the learner). The sizes must
   * match this model's and every entry must be finite; λ and α stay this model's.
   */
  importState(state: Pick<LinearArmsState, 'numArms' | 'featureDim' | (typeof LINEAR_ARMS_TENSORS)[number]>): void {
    const where = 'LinearArms.importState';
    if (state?.numArms !== this.numArms || state.featureDim !== this.featureDim) {
      throw new DataError(
        `${where}: the state is for ${describeValue(state?.numArms)} arms × ${describeValue(state?.featureDim)} features; this model has ${this.numArms} × ${this.featureDim}`,
      );
    }
    const d = this.featureDim;
    for (const name of LINEAR_ARMS_TENSORS) {
      const width = name === 'b' || name === 'theta' ? d : d * d;
      checkFeatureRows(where, name, state[name], this.numArms, width, name === 'b' || name === 'theta' ? 'featureDim' : 'featureDim²');
    }
    for (const name of LINEAR_ARMS_TENSORS) this[name].set(state[name]);
    this.factorValid.fill(0);
  }

  /** θ̂ₐᵀx for the context at `offset` of `contexts`. */
  mean(arm: number, contexts: Features, offset = 0): number {
    this.checkOne('LinearArms.mean', arm, contexts, offset);
    return dot(this.theta, arm * this.featureDim, contexts, offset, this.featureDim);
  }

  /** The UCB bonus α·√(xᵀAₐ⁻¹x) for the context at `offset`. */
  bonus(arm: number, contexts: Features, offset = 0): number {
    this.checkOne('LinearArms.bonus', arm, contexts, offset);
    return this.bonusUnchecked(arm, contexts, offset);
  }

  /** One draw θ̃ ~ N(θ̂ₐ, α²Aₐ⁻¹) from `rng`, written into `out` (d entries). */
  sampleTheta(arm: number, rng: Rng, out: Float64Array = new Float64Array(this.featureDim)): Float64Array {
    if (!Number.isInteger(arm) || arm < 0 || arm >= this.numArms) {
      throw new DataError(
        `LinearArms.sampleTheta: arm is ${describeValue(arm)}; expected an arm index, an integer in [0, ${this.numArms})`,
      );
    }
    if (!(out instanceof Float64Array) || out.length !== this.featureDim) {
      throw new DataError(`LinearArms.sampleTheta: out must be a Float64Array of ${this.featureDim} entries, got ${describeValue(out)}`);
    }
    this.drawTheta(arm, rng, out);
    return out;
  }

  /** Folds the observations (contexts[row], arms[row], rewards[row]) into the arms' statistics, row by row; checks all rows first. */
  update(contexts: Features, arms: ArrayLike<number>, rewards: ArrayLike<number>): void {
    const where = 'LinearArms.update';
    const rows = arms?.length;
    checkRows(where, rows);
    checkIndices(where, 'arms', arms, rows, this.numArms, 'an arm index');
    checkFeatureRows(where, 'contexts', contexts, rows, this.featureDim, 'featureDim');
    checkRewards(where, rewards, rows);
    const d = this.featureDim;
    for (let row = 0; row < rows; row++) {
      const arm = arms[row] as number;
      shermanMorrisonUpdate(
        this.precision,
        this.covariance,
        this.b,
        this.theta,
        arm,
        contexts,
        row * d,
        rewards[row] as number,
        d,
        this.scratch,
      );
      this.factorValid[arm] = 0;
    }
  }

  /** The UCB arm for each of `rows` contexts ([rows × d]) into `out`; `scores` ([rows × numArms]) gets every arm's UCB. */
  selectUcb(contexts: Features, rows: number, out?: Float32Array, scores?: Float32Array): Float32Array {
    return this.select('LinearArms.selectUcb', contexts, rows, out, scores, (arm, x, offset) => this.ucbUnchecked(arm, x, offset));
  }

  /** The Thompson-sampling arm for each of `rows` contexts, drawing θ̃ per row and arm from `rng`; `scores` gets θ̃ₐᵀx. */
  selectThompson(contexts: Features, rows: number, rng: Rng, out?: Float32Array, scores?: Float32Array): Float32Array {
    const theta = this.scratch;
    return this.select('LinearArms.selectThompson', contexts, rows, out, scores, (arm, x, offset) => {
      this.drawTheta(arm, rng, theta);
      return dot(theta, 0, x, offset, this.featureDim);
    });
  }

  /** The arm with the highest estimate θ̂ₐᵀx for each of `rows` contexts (no exploration); `scores` gets θ̂ₐᵀx. */
  selectGreedy(contexts: Features, rows: number, out?: Float32Array, scores?: Float32Array): Float32Array {
    const d = this.featureDim;
    return this.select('LinearArms.selectGreedy', contexts, rows, out, scores, (arm, x, offset) => dot(this.theta, arm * d, x, offset, d));
  }

  private ucbUnchecked(arm: number, contexts: Features, offset: number): number {
    return dot(this.theta, arm * this.featureDim, contexts, offset, this.featureDim) + this.bonusUnchecked(arm, contexts, offset);
  }

  private bonusUnchecked(arm: number, contexts: Features, offset: number): number {
    const d = this.featureDim;
    return this.alpha * Math.sqrt(quadraticForm(this.covariance, arm * d * d, contexts, offset, d));
  }

  /** θ̂ + α·L⁻ᵀz into `out`, refreshing the arm's Cholesky factor first if the arm changed. */
  private drawTheta(arm: number, rng: Rng, out: Float64Array): void {
    const d = this.featureDim;
    const m = arm * d * d;
    if (this.factorValid[arm] !== 1) {
      if (!choleskyLower(this.precision, m, d, this.factors, m)) {
        throw new DataError(`LinearArms: the precision matrix of arm ${arm} is not positive definite; its state is corrupt`);
      }
      this.factorValid[arm] = 1;
    }
    for (let i = 0; i < d; i++) out[i] = rng.normal();
    solveTransposedLower(this.factors, m, out, d);
    for (let i = 0; i < d; i++) out[i] = (this.theta[arm * d + i] as number) + this.alpha * (out[i] as number);
  }

  private checkOne(where: string, arm: number, contexts: Features, offset: number): void {
    if (!Number.isInteger(arm) || arm < 0 || arm >= this.numArms) {
      throw new DataError(`${where}: arm is ${describeValue(arm)}; expected an arm index, an integer in [0, ${this.numArms})`);
    }
    if (!(contexts instanceof Float32Array || contexts instanceof Float64Array)) {
      throw new DataError(`${where}: contexts must be a Float32Array or Float64Array, got ${describeValue(contexts)}`);
    }
    if (!Number.isInteger(offset) || offset < 0 || offset + this.featureDim > contexts.length) {
      throw new DataError(
        `${where}: offset ${describeValue(offset)} leaves no room for a context of ${this.featureDim} values in ${contexts.length}`,
      );
    }
    for (let i = offset; i < offset + this.featureDim; i++) {
      if (!Number.isFinite(contexts[i])) throw new DataError(`${where}: contexts[${i}] is ${contexts[i]}; contexts must be finite`);
    }
  }

  private select(
    where: string,
    contexts: Features,
    rows: number,
    out: Float32Array | undefined,
    scores: Float32Array | undefined,
    score: Scorer,
  ): Float32Array {
    checkRows(where, rows);
    checkFeatureRows(where, 'contexts', contexts, rows, this.featureDim, 'featureDim');
    const actions = out ?? new Float32Array(rows);
    checkOutput(where, 'out', actions, rows);
    if (scores !== undefined) checkOutput(where, 'scores', scores, rows * this.numArms);
    const d = this.featureDim;
    for (let row = 0; row < rows; row++) {
      let best = 0;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let arm = 0; arm < this.numArms; arm++) {
        const value = score(arm, contexts, row * d);
        if (scores !== undefined) scores[row * this.numArms + arm] = value;
        if (value > bestScore) {
          bestScore = value;
          best = arm;
        }
      }
      actions[row] = best;
    }
    return actions;
  }
}
