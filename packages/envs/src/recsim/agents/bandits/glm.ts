import { createRng, DataError, type Rng } from '@loomrl/core';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The inverse of a symmetric positive-definite d×d matrix (row-major) by Gauss–Jordan elimination with partial pivoting. */
export function invertMatrix(m: Float64Array, d: number): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r * d + col] as number) > Math.abs(a[pivot * d + col] as number)) pivot = r;
    if (pivot !== col) {
      for (let j = 0; j < d; j++) {
        [a[col * d + j], a[pivot * d + j]] = [a[pivot * d + j] as number, a[col * d + j] as number];
        [inv[col * d + j], inv[pivot * d + j]] = [inv[pivot * d + j] as number, inv[col * d + j] as number];
      }
    }
    const p = a[col * d + col] as number;
    if (p === 0) throw new DataError('invertMatrix: the matrix is singular.');
    for (let j = 0; j < d; j++) {
      a[col * d + j] = (a[col * d + j] as number) / p;
      inv[col * d + j] = (inv[col * d + j] as number) / p;
    }
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = a[r * d + col] as number;
      if (f === 0) continue;
      for (let j = 0; j < d; j++) {
        a[r * d + j] = (a[r * d + j] as number) - f * (a[col * d + j] as number);
        inv[r * d + j] = (inv[r * d + j] as number) - f * (inv[col * d + j] as number);
      }
    }
  }
  return inv;
}

/** The lower Cholesky factor L (L·Lᵀ = m) of a symmetric positive-definite d×d matrix. */
function cholesky(m: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i * d + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * d + k] as number) * (l[j * d + k] as number);
      l[i * d + j] = i === j ? Math.sqrt(Math.max(sum, 0)) : sum / (l[j * d + j] as number);
    }
  }
  return l;
}

/**
 * A generalised-linear bandit over arm feature vectors x ∈ ℝᵈ with rewards ≈ σ(x·w*) (RecSim's
 * `GLMAlgorithm`): it keeps every pulled arm and reward, and fits w by L2-regularised logistic
 * regression (prior N(0, σ₀²I)) with Newton/IRLS steps.
 */
export class GLMAlgorithm {
  readonly dim: number;
  readonly sigma0: number;
  readonly optimismScaling: number;
  protected readonly arms: Float64Array[] = [];
  protected readonly rewards: number[] = [];
  /** Σ x xᵀ over the pulled arms. */
  protected readonly outer: Float64Array;
  protected readonly rng: Rng;

  /** An algorithm with no observations. */
  constructor(dim: number, options: { sigma0?: number; optimismScaling?: number; seed?: number | string } = {}) {
    this.dim = dim;
    this.sigma0 = options.sigma0 ?? 1;
    this.optimismScaling = options.optimismScaling ?? 1;
    this.outer = new Float64Array(dim * dim);
    this.rng = createRng(options.seed ?? 0, 'glm');
  }

  /** Records `reward` for the arm with features `arm` (RecSim's argument order); a wrong length is a `DataError`. */
  update(reward: number, arm: ArrayLike<number>): void {
    if (arm.length !== this.dim) throw new DataError(`GLMAlgorithm.update: the arm has ${arm.length} features, expected ${this.dim}.`);
    const x = Float64Array.from(arm);
    this.arms.push(x);
    this.rewards.push(reward);
    const d = this.dim;
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) this.outer[i * d + j] = (this.outer[i * d + j] as number) + (x[i] as number) * (x[j] as number);
  }

  /**
   * The MAP weights and the Hessian at them: w = 0 and H = I/σ₀² with `initIters` or fewer
   * observations; otherwise up to `numIters` IRLS steps w ← H⁻¹Xᵀ(R·Xw − (μ − y)), stopping when
   * ‖w − w_prev‖ < `tol`.
   */
  solveLogisticBandit(initIters = 10, numIters = 20, tol = 1e-3): { w: Float64Array; hessian: Float64Array } {
    const d = this.dim;
    let w = new Float64Array(d);
    const prior = 1 / this.sigma0 ** 2;
    let hessian = new Float64Array(d * d);
    for (let i = 0; i < d; i++) hessian[i * d + i] = prior;
    if (this.arms.length <= initIters) return { w, hessian };
    for (let iter = 0; iter < numIters; iter++) {
      hessian = new Float64Array(d * d);
      for (let i = 0; i < d; i++) hessian[i * d + i] = prior;
      const rhs = new Float64Array(d);
      this.arms.forEach((x, n) => {
        let z = 0;
        for (let i = 0; i < d; i++) z += (x[i] as number) * (w[i] as number);
        const mu = sigmoid(z);
        const r = mu * (1 - mu);
        const working = r * z - (mu - (this.rewards[n] as number));
        for (let i = 0; i < d; i++) {
          rhs[i] = (rhs[i] as number) + (x[i] as number) * working;
          for (let j = 0; j < d; j++) hessian[i * d + j] = (hessian[i * d + j] as number) + r * (x[i] as number) * (x[j] as number);
        }
      });
      const inv = invertMatrix(hessian, d);
      const next = new Float64Array(d);
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) next[i] = (next[i] as number) + (inv[i * d + j] as number) * (rhs[j] as number);
      let change = 0;
      for (let i = 0; i < d; i++) change += ((next[i] as number) - (w[i] as number)) ** 2;
      w = next;
      if (Math.sqrt(change) < tol) break;
    }
    return { w, hessian };
  }

  /** The index of the highest `scores`, ties broken uniformly at random (RecSim's GLM agents do so). */
  protected randomArgmax(scores: readonly number[]): number {
    const best = Math.max(...scores);
    const ties = scores.flatMap((s, i) => (s === best ? [i] : []));
    return ties[this.rng.int(ties.length)] as number;
  }
}

/** A GLM bandit's choice among `arms`: the arm's index, and every arm's index value. */
export interface GLMChoice {
  readonly arm: number;
  readonly scores: readonly number[];
}

/**
 * UCB-GLM (Li, Lu & Zhou 2017, RecSim's `UCB_GLM`): x·ŵ + α·√(xᵀG⁻¹x) with G = Σxxᵀ + I/σ₀² and
 * α = optimismScaling · (σ/κ)·√((d/2)·ln(1 + 2T/d) + ln(1/δ)), σ = 0.5, κ = 0.25, δ = 1/T.
 */
export class UCBGLM extends GLMAlgorithm {
  readonly ciScaling: number;

  /** UCB-GLM for a horizon of `horizon` pulls. */
  constructor(dim: number, horizon: number, options: { sigma0?: number; optimismScaling?: number; seed?: number | string } = {}) {
    super(dim, options);
    const delta = 1 / horizon;
    this.ciScaling = this.optimismScaling * (0.5 / 0.25) * Math.sqrt((dim / 2) * Math.log(1 + (2 * horizon) / dim) + Math.log(1 / delta));
  }

  /** The arm to pull among `arms` (feature vectors). */
  getArm(arms: readonly ArrayLike<number>[]): GLMChoice {
    const d = this.dim;
    const gram = Float64Array.from(this.outer);
    for (let i = 0; i < d; i++) gram[i * d + i] = (gram[i * d + i] as number) + 1 / this.sigma0 ** 2;
    const inv = invertMatrix(gram, d);
    const { w } = this.solveLogisticBandit();
    const scores = arms.map((x) => {
      let mean = 0;
      let quad = 0;
      for (let i = 0; i < d; i++) {
        mean += (x[i] as number) * (w[i] as number);
        for (let j = 0; j < d; j++) quad += (x[i] as number) * (inv[i * d + j] as number) * (x[j] as number);
      }
      return mean + this.ciScaling * Math.sqrt(Math.max(quad, 0));
    });
    return { arm: this.randomArgmax(scores), scores };
  }
}

/** GLM Thompson sampling (Abeille & Lazaric 2017, RecSim's `GLM_TS`): w̃ ~ N(ŵ, s²·H⁻¹), then the best x·w̃. */
export class GLMTS extends GLMAlgorithm {
  /** The arm to pull among `arms` (feature vectors). */
  getArm(arms: readonly ArrayLike<number>[]): GLMChoice {
    const d = this.dim;
    const { w, hessian } = this.solveLogisticBandit();
    const cov = invertMatrix(hessian, d).map((v) => v * this.optimismScaling ** 2);
    const l = cholesky(cov, d);
    const z = Float64Array.from({ length: d }, () => this.rng.normal());
    const sample = Float64Array.from(w, (wi, i) => {
      let s = wi;
      for (let k = 0; k <= i; k++) s += (l[i * d + k] as number) * (z[k] as number);
      return s;
    });
    const scores = arms.map((x) => {
      let s = 0;
      for (let i = 0; i < d; i++) s += (x[i] as number) * (sample[i] as number);
      return s;
    });
    return { arm: this.randomArgmax(scores), scores };
  }
}
