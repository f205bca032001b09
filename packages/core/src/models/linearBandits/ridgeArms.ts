import { ConfigError, DataError, describeValue } from '../../errors.js';
import type { Rng } from '../../rng.js';
import { checkFeatureRows } from './inputChecks.js';
import { choleskyLower, dot, quadraticForm, shermanMorrisonUpdate, solveTransposedLower } from './ridgeKernels.js';

/** Context rows as the bandit models take them: observation rows (float32) or float64 rows, flat. */
export type Features = Float32Array | Float64Array;

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

/** What `importState` reads: the sizes and the four tensors. */
export type LinearArmsTensors = Pick<LinearArmsState, 'numArms' | 'featureDim' | (typeof LINEAR_ARMS_TENSORS)[number]>;

/** The settings of a `RidgeArms`, validated by its constructor. */
export interface RidgeArmsSettings {
  readonly numArms: number;
  readonly featureDim: number;
  readonly lambda: number;
  readonly alpha: number;
}

/**
 * The engine behind `LinearArms` and `ParametricLinearArms` (not exported from the package): every
 * arm's tensors and the operations on the context row loaded into `row`, without input checks
 * beyond the settings. Thompson draws use the cached Cholesky factor of each arm's precision.
 */
export class RidgeArms {
  readonly numArms: number;
  readonly featureDim: number;
  readonly lambda: number;
  readonly alpha: number;
  /** The context being scored or learned from, copied to float64 (keeps the kernels monomorphic). */
  readonly row: Float64Array;
  private readonly precision: Float64Array;
  private readonly covariance: Float64Array;
  private readonly b: Float64Array;
  private readonly theta: Float64Array;
  /** Lower Cholesky factors of the precisions, valid where `factorValid[a]` is 1. */
  private readonly factors: Float64Array;
  private readonly factorValid: Uint8Array;
  /** Sherman–Morrison's A⁻¹x. */
  private readonly u: Float64Array;
  /** A Thompson draw θ̃. */
  private readonly draw: Float64Array;

  /** Every arm at its prior: A = λI, A⁻¹ = I/λ, b = θ̂ = 0; `owner` names the model in errors. */
  constructor(
    private readonly owner: string,
    settings: RidgeArmsSettings,
  ) {
    const { numArms, featureDim, lambda, alpha } = settings;
    for (const [name, value] of [
      ['numArms', numArms],
      ['featureDim', featureDim],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new ConfigError(`${owner}: ${name} must be an integer >= 1, got ${describeValue(value)}`);
    }
    if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda <= 0) {
      throw new ConfigError(`${owner}: lambda must be a finite number > 0, got ${describeValue(lambda)}`);
    }
    if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
      throw new ConfigError(`${owner}: alpha must be a finite number >= 0, got ${describeValue(alpha)}`);
    }
    this.numArms = numArms;
    this.featureDim = featureDim;
    this.lambda = lambda;
    this.alpha = alpha;
    const d = featureDim;
    this.precision = new Float64Array(numArms * d * d);
    this.covariance = new Float64Array(numArms * d * d);
    this.b = new Float64Array(numArms * d);
    this.theta = new Float64Array(numArms * d);
    this.factors = new Float64Array(numArms * d * d);
    this.factorValid = new Uint8Array(numArms);
    this.row = new Float64Array(d);
    this.u = new Float64Array(d);
    this.draw = new Float64Array(d);
    for (let a = 0; a < numArms; a++) {
      for (let i = 0; i < d; i++) {
        this.precision[a * d * d + i * d + i] = lambda;
        this.covariance[a * d * d + i * d + i] = 1 / lambda;
      }
    }
  }

  /** Copies of the settings and tensors. */
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

  /** Copies `state`'s tensors in after checking their sizes and finiteness; `where` names the caller. */
  importState(where: string, state: LinearArmsTensors): void {
    if (state?.numArms !== this.numArms || state.featureDim !== this.featureDim) {
      throw new DataError(
        `${where}: the state is for ${describeValue(state?.numArms)} arms × ${describeValue(state?.featureDim)} features; this model has ${this.numArms} × ${this.featureDim}`,
      );
    }
    for (const name of LINEAR_ARMS_TENSORS) {
      const vector = name === 'b' || name === 'theta';
      checkFeatureRows(
        where,
        name,
        state[name],
        this.numArms,
        vector ? this.featureDim : this.featureDim ** 2,
        vector ? 'featureDim' : 'featureDim²',
      );
    }
    for (const name of LINEAR_ARMS_TENSORS) this[name].set(state[name]);
    this.factorValid.fill(0);
  }

  /** Copies the context at `offset` of `contexts` into `row`. */
  load(contexts: Features, offset: number): void {
    for (let i = 0; i < this.featureDim; i++) this.row[i] = contexts[offset + i] as number;
  }

  /** θ̂ₐᵀx for the loaded row. */
  mean(arm: number): number {
    return dot(this.theta, arm * this.featureDim, this.row, 0, this.featureDim);
  }

  /** α·√(xᵀAₐ⁻¹x) for the loaded row. */
  bonus(arm: number): number {
    const d = this.featureDim;
    return this.alpha * Math.sqrt(quadraticForm(this.covariance, arm * d * d, this.row, 0, d));
  }

  /** θ̃ᵀx for the loaded row with a fresh θ̃ ~ N(θ̂ₐ, α²Aₐ⁻¹). */
  thompson(arm: number, rng: Rng): number {
    this.drawTheta(arm, rng, this.draw);
    return dot(this.draw, 0, this.row, 0, this.featureDim);
  }

  /** θ̃ᵀx for the loaded row with a given draw θ̃. */
  scoreWith(theta: Float64Array): number {
    return dot(theta, 0, this.row, 0, this.featureDim);
  }

  /** Folds the loaded row and `reward` into arm `arm`. */
  update(arm: number, reward: number): void {
    shermanMorrisonUpdate(this.precision, this.covariance, this.b, this.theta, arm, this.row, 0, reward, this.featureDim, this.u);
    this.factorValid[arm] = 0;
  }

  /** θ̃ = θ̂ + α·L⁻ᵀz into `out` (z ~ N(0, I) from `rng`), refreshing the arm's Cholesky factor first if the arm changed. */
  drawTheta(arm: number, rng: Rng, out: Float64Array): void {
    const d = this.featureDim;
    const m = arm * d * d;
    if (this.factorValid[arm] !== 1) {
      if (!choleskyLower(this.precision, m, d, this.factors, m)) {
        throw new DataError(`${this.owner}: the precision matrix of arm ${arm} is not positive definite; its state is corrupt`);
      }
      this.factorValid[arm] = 1;
    }
    for (let i = 0; i < d; i++) out[i] = rng.normal();
    solveTransposedLower(this.factors, m, out, d);
    for (let i = 0; i < d; i++) out[i] = (this.theta[arm * d + i] as number) + this.alpha * (out[i] as number);
  }
}
