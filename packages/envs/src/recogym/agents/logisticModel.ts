import { minimizeLbfgs } from './lbfgs.js';

/** A user's organic history: view counts, their sum, and the products with a non-zero count. */
export interface RecoGymHistory {
  readonly counts: ArrayLike<number>;
  readonly total: number;
  readonly viewed: ArrayLike<number>;
}

/** Training data of `RecoGymLogisticModel`: history snapshots shared by consecutive impressions, and one row per impression. */
export interface RecoGymLogisticData {
  readonly snapshots: readonly RecoGymHistory[];
  readonly snapshotOf: readonly number[];
  readonly actions: readonly number[];
  readonly clicks: readonly number[];
}

/** Regularisation and optimiser settings of `RecoGymLogisticModel.fit`. */
export interface RecoGymLogisticFitOptions {
  /** Gaussian-prior precision on the per-action biases (around the shared intercept). */
  readonly l2Bias: number;
  /** Gaussian-prior precision on the crossed weights W. */
  readonly l2Cross: number;
  /** L-BFGS iteration limit. */
  readonly maxIterations: number;
}

const TIED = 2;

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * A logistic click model over (organic history, action) pairs, for P products:
 *
 *   logit(a | n) = c + b_a + Σ_v W[a,v]·f_v + θ₁·f_a + θ₂·log(1 + n_a)
 *
 * where n is the user's organic view count vector and f = n / Σn its frequencies. The W term is
 * the history crossed with the action; the θ terms are the same crossing tied across actions
 * ("how much has the user viewed the product we show"), which generalise from few clicks.
 * Fitted by maximum a posteriori (log loss + Gaussian priors) with L-BFGS.
 */
export class RecoGymLogisticModel {
  /** All parameters, flat: [c, b (P), W (P×P), θ (2)]. */
  readonly params: Float64Array;
  /** Per-action bias b (a view into `params`). */
  readonly bias: Float64Array;
  /** Crossed weights W, P×P row-major [action * P + viewed] (a view into `params`). */
  readonly cross: Float64Array;
  /** Tied weights θ₁, θ₂ (a view into `params`). */
  readonly tied: Float64Array;

  /** An all-zero model over `numProducts` products. */
  constructor(readonly numProducts: number) {
    const p = numProducts;
    this.params = new Float64Array(1 + p + p * p + TIED);
    this.bias = this.params.subarray(1, 1 + p);
    this.cross = this.params.subarray(1 + p, 1 + p + p * p);
    this.tied = this.params.subarray(1 + p + p * p);
  }

  /** The shared intercept c. */
  get intercept(): number {
    return this.params[0] ?? 0;
  }

  /** The logit of a click for action `a` given a user's history, under parameters `w` (default: the model's). */
  logit(history: RecoGymHistory, a: number, w: Float64Array = this.params): number {
    const { counts, total, viewed } = history;
    const p = this.numProducts;
    const crossStart = 1 + p + a * p;
    const tiedStart = 1 + p + p * p;
    let z = (w[0] ?? 0) + (w[1 + a] ?? 0);
    const na = counts[a] ?? 0;
    if (total > 0) {
      let crossSum = 0;
      for (let i = 0; i < viewed.length; i++) {
        const v = viewed[i] ?? 0;
        crossSum += (w[crossStart + v] ?? 0) * (counts[v] ?? 0);
      }
      z += (crossSum + (w[tiedStart] ?? 0) * na) / total;
    }
    return z + (w[tiedStart + 1] ?? 0) * Math.log1p(na);
  }

  /** The best action for a user's history by predicted click probability. */
  argmax(history: RecoGymHistory): number {
    let best = 0;
    let bestLogit = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < this.numProducts; a++) {
      const z = this.logit(history, a);
      if (z > bestLogit) {
        bestLogit = z;
        best = a;
      }
    }
    return best;
  }

  /** Fits the model to the rows (MAP estimate); returns the mean log loss per row at the optimum. */
  fit(data: RecoGymLogisticData, options: RecoGymLogisticFitOptions): number {
    const size = data.actions.length;
    if (size === 0) return 0;
    const p = this.numProducts;
    const crossStart = 1 + p;
    const tiedStart = 1 + p + p * p;
    const objective = (w: Float64Array, grad: Float64Array): number => {
      grad.fill(0);
      let loss = 0;
      for (let row = 0; row < size; row++) {
        const history = data.snapshots[data.snapshotOf[row] ?? 0];
        if (history === undefined) continue;
        const a = data.actions[row] ?? 0;
        const y = data.clicks[row] ?? 0;
        const z = this.logit(history, a, w);
        loss += y === 1 ? softplus(-z) : softplus(z);
        const e = 1 / (1 + Math.exp(-z)) - y;
        grad[0] = (grad[0] ?? 0) + e;
        grad[1 + a] = (grad[1 + a] ?? 0) + e;
        const na = history.counts[a] ?? 0;
        if (history.total > 0) {
          const scale = e / history.total;
          const rowStart = crossStart + a * p;
          for (let i = 0; i < history.viewed.length; i++) {
            const v = history.viewed[i] ?? 0;
            grad[rowStart + v] = (grad[rowStart + v] ?? 0) + scale * (history.counts[v] ?? 0);
          }
          grad[tiedStart] = (grad[tiedStart] ?? 0) + scale * na;
        }
        grad[tiedStart + 1] = (grad[tiedStart + 1] ?? 0) + e * Math.log1p(na);
      }
      for (let i = 1; i < w.length; i++) {
        const lambda = i < crossStart ? options.l2Bias : i < tiedStart ? options.l2Cross : 1e-6;
        const wi = w[i] ?? 0;
        loss += 0.5 * lambda * wi * wi;
        grad[i] = (grad[i] ?? 0) + lambda * wi;
      }
      return loss;
    };
    const result = minimizeLbfgs(objective, this.params, { maxIterations: options.maxIterations, gradientTolerance: 1e-5 });
    return result.value / size;
  }
}
