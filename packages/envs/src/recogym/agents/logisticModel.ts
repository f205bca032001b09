import type { Rng } from '@loomrl/core';
import { sigmoid } from '../draws.js';

/**
 * A logistic click model over (organic history, action) pairs, for P products:
 *
 *   logit(a | x) = b_a + Σ_v W[a,v]·f_v + θ₁·f_a + θ₂·log(1 + n_a)
 *
 * where n is the user's organic view count vector and f = n / Σn its frequencies. The W term is
 * the history crossed with the action; the θ terms are the same crossing tied across actions
 * ("how much has the user viewed the product we show"), which generalise from few clicks.
 */
export class RecoGymLogisticModel {
  /** Per-action bias b, P. */
  readonly bias: Float64Array;
  /** Crossed weights W, P×P row-major [action * P + viewed]. */
  readonly cross: Float64Array;
  /** Tied weights θ₁, θ₂. */
  readonly tied: Float64Array;

  /** An all-zero model over `numProducts` products. */
  constructor(readonly numProducts: number) {
    this.bias = new Float64Array(numProducts);
    this.cross = new Float64Array(numProducts * numProducts);
    this.tied = new Float64Array(2);
  }

  /** The logit of a click for action `a` given the counts `n` (with Σn = `total`). */
  logit(counts: ArrayLike<number>, total: number, a: number): number {
    const p = this.numProducts;
    let z = this.bias[a] ?? 0;
    if (total > 0) {
      const row = a * p;
      let crossSum = 0;
      for (let v = 0; v < p; v++) {
        const n = counts[v] ?? 0;
        if (n !== 0) crossSum += (this.cross[row + v] ?? 0) * n;
      }
      z += crossSum / total + (this.tied[0] ?? 0) * ((counts[a] ?? 0) / total);
    }
    return z + (this.tied[1] ?? 0) * Math.log1p(counts[a] ?? 0);
  }

  /** The best action for `counts` by predicted click probability. */
  argmax(counts: ArrayLike<number>, total: number): number {
    let best = 0;
    let bestLogit = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < this.numProducts; a++) {
      const z = this.logit(counts, total, a);
      if (z > bestLogit) {
        bestLogit = z;
        best = a;
      }
    }
    return best;
  }

  /**
   * Fits the model to rows (counts snapshot, action, click) by mini-batch Adam on the mean log
   * loss plus (l2/2)·‖W, θ‖². Returns the final epoch's mean log loss.
   */
  fit(data: RecoGymLogisticData, options: RecoGymLogisticFitOptions, rng: Rng): number {
    const p = this.numProducts;
    const size = data.actions.length;
    if (size === 0) return 0;
    const params = [this.bias, this.cross, this.tied];
    const grads = params.map((w) => new Float64Array(w.length));
    const m = params.map((w) => new Float64Array(w.length));
    const s = params.map((w) => new Float64Array(w.length));
    const order = Int32Array.from({ length: size }, (_, i) => i);
    const [gBias, gCross, gTied] = grads as [Float64Array, Float64Array, Float64Array];
    const beta1 = 0.9;
    const beta2 = 0.999;
    let step = 0;
    let lastLoss = 0;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      rng.shuffle(order);
      let lossSum = 0;
      for (let start = 0; start < size; start += options.batchSize) {
        const end = Math.min(size, start + options.batchSize);
        for (const g of grads) g.fill(0);
        for (let r = start; r < end; r++) {
          const row = order[r] ?? 0;
          const snapshot = data.snapshots[data.snapshotOf[row] ?? 0];
          if (snapshot === undefined) continue;
          const a = data.actions[row] ?? 0;
          const y = data.clicks[row] ?? 0;
          const z = this.logit(snapshot.counts, snapshot.total, a);
          const q = sigmoid(z);
          lossSum -= y === 1 ? Math.log(Math.max(q, 1e-12)) : Math.log(Math.max(1 - q, 1e-12));
          const e = q - y;
          gBias[a] = (gBias[a] ?? 0) + e;
          if (snapshot.total > 0) {
            const inv = 1 / snapshot.total;
            for (let v = 0; v < p; v++) {
              const n = snapshot.counts[v] ?? 0;
              if (n !== 0) gCross[a * p + v] = (gCross[a * p + v] ?? 0) + e * n * inv;
            }
            gTied[0] = (gTied[0] ?? 0) + e * (snapshot.counts[a] ?? 0) * inv;
          }
          gTied[1] = (gTied[1] ?? 0) + e * Math.log1p(snapshot.counts[a] ?? 0);
        }
        const batch = end - start;
        step++;
        const correction1 = 1 - beta1 ** step;
        const correction2 = 1 - beta2 ** step;
        for (let k = 0; k < params.length; k++) {
          const w = params[k] as Float64Array;
          const g = grads[k] as Float64Array;
          const mk = m[k] as Float64Array;
          const sk = s[k] as Float64Array;
          const decay = k === 0 ? 0 : options.l2;
          for (let i = 0; i < w.length; i++) {
            const gi = (g[i] ?? 0) / batch + decay * (w[i] ?? 0);
            const mi = beta1 * (mk[i] ?? 0) + (1 - beta1) * gi;
            const si = beta2 * (sk[i] ?? 0) + (1 - beta2) * gi * gi;
            mk[i] = mi;
            sk[i] = si;
            w[i] = (w[i] ?? 0) - (options.learningRate * (mi / correction1)) / (Math.sqrt(si / correction2) + 1e-8);
          }
        }
      }
      lastLoss = lossSum / size;
    }
    return lastLoss;
  }
}

/** Training data of `RecoGymLogisticModel`: count snapshots shared by consecutive impressions, and one row per impression. */
export interface RecoGymLogisticData {
  readonly snapshots: ReadonlyArray<{ readonly counts: Float64Array; readonly total: number }>;
  readonly snapshotOf: readonly number[];
  readonly actions: readonly number[];
  readonly clicks: readonly number[];
}

/** Optimiser settings of `RecoGymLogisticModel.fit`. */
export interface RecoGymLogisticFitOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly l2: number;
}
