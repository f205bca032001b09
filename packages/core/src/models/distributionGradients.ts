import type { DistributionSpec } from './spec.js';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The terms of a policy-gradient loss for one row of `actionDistInputs`, with their gradients, in
 * plain JS (float64): the learner's twin of the tfjs distributions' `logp`, `entropy` and `kl`,
 * for the WebAssembly learner, which back-propagates the result through its dense nets.
 */
export interface DistributionGradients {
  /** Writes into `out` [logp(action), entropy, KL(old ‖ new)] of one row, and keeps the row for `backward`. */
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
   * Writes into `grad[gradAt…]` the gradient w.r.t. the inputs of the row last `evaluate`d of
   * `gLogp·logp + gEntropy·entropy + gKl·KL`.
   */
  backward(gLogp: number, gEntropy: number, gKl: number, grad: Float32Array, gradAt: number): void;
}

/** Independent categoricals over blocks of logits (one block for a plain categorical). */
class CategoricalGradients implements DistributionGradients {
  private readonly nvec: Int32Array;
  private readonly width: number;
  /** Log-probabilities and probabilities of the last evaluated row, new and old, all blocks. */
  private readonly logProbs: Float64Array;
  private readonly probs: Float64Array;
  private readonly oldProbs: Float64Array;
  private readonly oldLogProbs: Float64Array;
  private readonly chosen: Int32Array;

  constructor(nvec: readonly number[]) {
    this.nvec = Int32Array.from(nvec);
    this.width = nvec.reduce((a, b) => a + b, 0);
    this.logProbs = new Float64Array(this.width);
    this.probs = new Float64Array(this.width);
    this.oldProbs = new Float64Array(this.width);
    this.oldLogProbs = new Float64Array(this.width);
    this.chosen = new Int32Array(nvec.length);
  }

  /** Log-softmax of `n` logits at `x[at…]` into `logOut[to…]` and their exponentials into `probOut[to…]`. */
  private static softmax(x: Float32Array, at: number, n: number, logOut: Float64Array, probOut: Float64Array, to: number): void {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) max = Math.max(max, x[at + k] as number);
    let sum = 0;
    for (let k = 0; k < n; k++) sum += Math.exp((x[at + k] as number) - max);
    const lse = max + Math.log(sum);
    for (let k = 0; k < n; k++) {
      const l = (x[at + k] as number) - lse;
      logOut[to + k] = l;
      probOut[to + k] = Math.exp(l);
    }
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
    const { logProbs: lp, probs: p, oldProbs: po } = this;
    const oldLog = this.oldLogProbs;
    let logp = 0;
    let entropy = 0;
    let kl = 0;
    let position = 0;
    for (let j = 0; j < this.nvec.length; j++) {
      const n = this.nvec[j] as number;
      CategoricalGradients.softmax(inputs, at + position, n, lp, p, position);
      CategoricalGradients.softmax(old, oldAt + position, n, oldLog, po, position);
      const action = actions[actionAt + j] as number;
      this.chosen[j] = action;
      logp += lp[position + action] as number;
      for (let k = position; k < position + n; k++) {
        const l = lp[k] as number;
        entropy -= (p[k] as number) * l;
        kl += (po[k] as number) * ((oldLog[k] as number) - l);
      }
      position += n;
    }
    out[0] = logp;
    out[1] = entropy;
    out[2] = kl;
  }

  backward(gLogp: number, gEntropy: number, gKl: number, grad: Float32Array, gradAt: number): void {
    const { logProbs: lp, probs: p, oldProbs: po } = this;
    let position = 0;
    for (let j = 0; j < this.nvec.length; j++) {
      const n = this.nvec[j] as number;
      const action = this.chosen[j] as number;
      // Upstream gradient w.r.t. the log-probabilities, then log-softmax's backward: g − p·Σg.
      let total = 0;
      for (let k = 0; k < n; k++) {
        const i = position + k;
        const g = (k === action ? gLogp : 0) - gEntropy * (p[i] as number) * ((lp[i] as number) + 1) - gKl * (po[i] as number);
        grad[gradAt + i] = g;
        total += g;
      }
      for (let k = 0; k < n; k++) {
        const i = position + k;
        grad[gradAt + i] = (grad[gradAt + i] as number) - (p[i] as number) * total;
      }
      position += n;
    }
  }
}

/** A diagonal Gaussian whose inputs are `dim` means followed by `dim` log-stds. */
class DiagGaussianGradients implements DistributionGradients {
  // The row last evaluated, for `backward`.
  private inputs: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private at = 0;
  private actions: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private actionAt = 0;
  private old: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private oldAt = 0;

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
    this.inputs = inputs;
    this.at = at;
    this.actions = actions;
    this.actionAt = actionAt;
    this.old = old;
    this.oldAt = oldAt;
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

  backward(gLogp: number, gEntropy: number, gKl: number, grad: Float32Array, gradAt: number): void {
    const { inputs, at, actions, actionAt, old, oldAt } = this;
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
