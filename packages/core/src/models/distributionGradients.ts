import type { DistributionSpec } from './spec.js';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The terms of a policy-gradient loss for one row of `actionDistInputs`, with their gradients, in
 * plain JS (float64): the learner's twin of the tfjs distributions' `logp`, `entropy` and `kl`,
 * for the WebAssembly learner, which back-propagates the result through its dense nets.
 */
export interface DistributionGradients {
  /** Writes into `out` [logp(action), entropy, KL(old ‖ new)] of one row. */
  evaluate(
    inputs: Float32Array,
    at: number,
    actions: Float32Array,
    actionAt: number,
    old: Float32Array,
    oldAt: number,
    out: Float64Array,
  ): void;
  /**
   * Writes into `grad[gradAt…]` the gradient w.r.t. the row's inputs of
   * `gLogp·logp + gEntropy·entropy + gKl·KL`.
   */
  gradient(
    inputs: Float32Array,
    at: number,
    actions: Float32Array,
    actionAt: number,
    old: Float32Array,
    oldAt: number,
    gLogp: number,
    gEntropy: number,
    gKl: number,
    grad: Float32Array,
    gradAt: number,
  ): void;
}

/** Independent categoricals over blocks of logits (one block for a plain categorical). */
class CategoricalGradients implements DistributionGradients {
  private readonly nvec: Int32Array;
  private readonly logProbs: Float64Array;
  private readonly oldLogProbs: Float64Array;

  constructor(nvec: readonly number[]) {
    this.nvec = Int32Array.from(nvec);
    const widest = Math.max(...nvec);
    this.logProbs = new Float64Array(widest);
    this.oldLogProbs = new Float64Array(widest);
  }

  /** log-softmax of `n` logits at `x[at…]` into `out`. */
  private static logSoftmax(x: Float32Array, at: number, n: number, out: Float64Array): void {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) max = Math.max(max, x[at + k] as number);
    let sum = 0;
    for (let k = 0; k < n; k++) sum += Math.exp((x[at + k] as number) - max);
    const lse = max + Math.log(sum);
    for (let k = 0; k < n; k++) out[k] = (x[at + k] as number) - lse;
  }

  evaluate(
    inputs: Float32Array,
    at: number,
    actions: Float32Array,
    actionAt: number,
    old: Float32Array,
    oldAt: number,
    out: Float64Array,
  ): void {
    const lp = this.logProbs;
    const lo = this.oldLogProbs;
    let logp = 0;
    let entropy = 0;
    let kl = 0;
    let position = 0;
    for (let j = 0; j < this.nvec.length; j++) {
      const n = this.nvec[j] as number;
      CategoricalGradients.logSoftmax(inputs, at + position, n, lp);
      CategoricalGradients.logSoftmax(old, oldAt + position, n, lo);
      logp += lp[actions[actionAt + j] as number] as number;
      for (let k = 0; k < n; k++) {
        const l = lp[k] as number;
        const o = lo[k] as number;
        entropy -= Math.exp(l) * l;
        kl += Math.exp(o) * (o - l);
      }
      position += n;
    }
    out[0] = logp;
    out[1] = entropy;
    out[2] = kl;
  }

  gradient(
    inputs: Float32Array,
    at: number,
    actions: Float32Array,
    actionAt: number,
    old: Float32Array,
    oldAt: number,
    gLogp: number,
    gEntropy: number,
    gKl: number,
    grad: Float32Array,
    gradAt: number,
  ): void {
    const lp = this.logProbs;
    const lo = this.oldLogProbs;
    let position = 0;
    for (let j = 0; j < this.nvec.length; j++) {
      const n = this.nvec[j] as number;
      CategoricalGradients.logSoftmax(inputs, at + position, n, lp);
      if (gKl !== 0) CategoricalGradients.logSoftmax(old, oldAt + position, n, lo);
      const action = actions[actionAt + j] as number;
      // Upstream gradient w.r.t. the log-probabilities, then log-softmax's backward: g − p·Σg.
      let total = 0;
      for (let k = 0; k < n; k++) {
        const l = lp[k] as number;
        let g = k === action ? gLogp : 0;
        if (gEntropy !== 0) g -= gEntropy * Math.exp(l) * (l + 1);
        if (gKl !== 0) g -= gKl * Math.exp(lo[k] as number);
        grad[gradAt + position + k] = g;
        total += g;
      }
      for (let k = 0; k < n; k++) {
        grad[gradAt + position + k] = (grad[gradAt + position + k] as number) - Math.exp(lp[k] as number) * total;
      }
      position += n;
    }
  }
}

/** A diagonal Gaussian whose inputs are `dim` means followed by `dim` log-stds. */
class DiagGaussianGradients implements DistributionGradients {
  constructor(private readonly dim: number) {}

  evaluate(
    inputs: Float32Array,
    at: number,
    actions: Float32Array,
    actionAt: number,
    old: Float32Array,
    oldAt: number,
    out: Float64Array,
  ): void {
    const d = this.dim;
    let logp = -d * HALF_LOG_TWO_PI;
    let entropy = 0;
    let kl = 0;
    for (let j = 0; j < d; j++) {
      const mean = inputs[at + j] as number;
      const logStd = inputs[at + d + j] as number;
      const z = ((actions[actionAt + j] as number) - mean) / Math.exp(logStd);
      logp += -0.5 * z * z - logStd;
      entropy += logStd + 0.5 + HALF_LOG_TWO_PI;
      const m0 = old[oldAt + j] as number;
      const s0 = old[oldAt + d + j] as number;
      kl += logStd - s0 + (Math.exp(2 * s0) + (m0 - mean) ** 2) / (2 * Math.exp(2 * logStd)) - 0.5;
    }
    out[0] = logp;
    out[1] = entropy;
    out[2] = kl;
  }

  gradient(
    inputs: Float32Array,
    at: number,
    actions: Float32Array,
    actionAt: number,
    old: Float32Array,
    oldAt: number,
    gLogp: number,
    gEntropy: number,
    gKl: number,
    grad: Float32Array,
    gradAt: number,
  ): void {
    const d = this.dim;
    for (let j = 0; j < d; j++) {
      const mean = inputs[at + j] as number;
      const logStd = inputs[at + d + j] as number;
      const std = Math.exp(logStd);
      const z = ((actions[actionAt + j] as number) - mean) / std;
      const m0 = old[oldAt + j] as number;
      const s0 = old[oldAt + d + j] as number;
      const variance = Math.exp(2 * logStd);
      grad[gradAt + j] = gLogp * (z / std) + gKl * ((mean - m0) / variance);
      grad[gradAt + d + j] = gLogp * (z * z - 1) + gEntropy + gKl * (1 - (Math.exp(2 * s0) + (m0 - mean) ** 2) / variance);
    }
  }
}

/** The loss terms with gradients for `spec` (twin of `createTfDistribution`). */
export function createDistributionGradients(spec: DistributionSpec): DistributionGradients {
  if (spec.type === 'categorical') return new CategoricalGradients([spec.n]);
  if (spec.type === 'multiCategorical') return new CategoricalGradients(spec.nvec);
  return new DiagGaussianGradients(spec.dim);
}
