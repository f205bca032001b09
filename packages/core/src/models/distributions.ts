import type { Rng } from '../rng.js';
import type { DistributionSpec } from './spec.js';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * An action distribution evaluated in plain JS on one row of `actionDistInputs`: used by samplers
 * and `computeSingleAction`. The tfjs twin in `@loomrl/core/tf` computes the same log-probs for the loss.
 */
export interface PlainDistribution {
  /** Draws an action into `out` at `outOffset` and returns its log-probability. */
  sample(inputs: Float32Array, inputOffset: number, rng: Rng, out: Float32Array, outOffset: number): number;
  /** Writes the most likely action (argmax / mean) and returns its log-probability. */
  mode(inputs: Float32Array, inputOffset: number, out: Float32Array, outOffset: number): number;
  /** Log-probability of the action at `actions[actionOffset…]`. */
  logp(inputs: Float32Array, inputOffset: number, actions: Float32Array, actionOffset: number): number;
}

function logSumExp(x: Float32Array, offset: number, n: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) max = Math.max(max, x[offset + i] as number);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp((x[offset + i] as number) - max);
  return max + Math.log(sum);
}

function sampleCategorical(logits: Float32Array, offset: number, n: number, rng: Rng): { index: number; logp: number } {
  const lse = logSumExp(logits, offset, n);
  let u = rng.random();
  for (let k = 0; k < n; k++) {
    const logp = (logits[offset + k] as number) - lse;
    u -= Math.exp(logp);
    if (u < 0 || k === n - 1) return { index: k, logp };
  }
  return { index: n - 1, logp: (logits[offset + n - 1] as number) - lse };
}

function argmax(x: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if ((x[offset + k] as number) > (x[offset + best] as number)) best = k;
  return best;
}

/** Independent categoricals over consecutive blocks of logits (one block for a plain categorical). */
class MultiCategorical implements PlainDistribution {
  constructor(private readonly nvec: readonly number[]) {}

  sample(inputs: Float32Array, inputOffset: number, rng: Rng, out: Float32Array, outOffset: number): number {
    let logp = 0;
    let position = inputOffset;
    this.nvec.forEach((n, j) => {
      const drawn = sampleCategorical(inputs, position, n, rng);
      out[outOffset + j] = drawn.index;
      logp += drawn.logp;
      position += n;
    });
    return logp;
  }

  mode(inputs: Float32Array, inputOffset: number, out: Float32Array, outOffset: number): number {
    let position = inputOffset;
    this.nvec.forEach((n, j) => {
      out[outOffset + j] = argmax(inputs, position, n);
      position += n;
    });
    return this.logp(inputs, inputOffset, out, outOffset);
  }

  logp(inputs: Float32Array, inputOffset: number, actions: Float32Array, actionOffset: number): number {
    let logp = 0;
    let position = inputOffset;
    this.nvec.forEach((n, j) => {
      logp += (inputs[position + (actions[actionOffset + j] as number)] as number) - logSumExp(inputs, position, n);
      position += n;
    });
    return logp;
  }
}

/** A diagonal Gaussian whose inputs are `dim` means followed by `dim` log-stds. */
class DiagGaussian implements PlainDistribution {
  constructor(private readonly dim: number) {}

  sample(inputs: Float32Array, inputOffset: number, rng: Rng, out: Float32Array, outOffset: number): number {
    for (let j = 0; j < this.dim; j++) {
      const mean = inputs[inputOffset + j] as number;
      const std = Math.exp(inputs[inputOffset + this.dim + j] as number);
      out[outOffset + j] = mean + std * rng.normal();
    }
    return this.logp(inputs, inputOffset, out, outOffset);
  }

  mode(inputs: Float32Array, inputOffset: number, out: Float32Array, outOffset: number): number {
    for (let j = 0; j < this.dim; j++) out[outOffset + j] = inputs[inputOffset + j] as number;
    return this.logp(inputs, inputOffset, out, outOffset);
  }

  logp(inputs: Float32Array, inputOffset: number, actions: Float32Array, actionOffset: number): number {
    let logp = 0;
    for (let j = 0; j < this.dim; j++) {
      const mean = inputs[inputOffset + j] as number;
      const logStd = inputs[inputOffset + this.dim + j] as number;
      const z = ((actions[actionOffset + j] as number) - mean) / Math.exp(logStd);
      logp += -0.5 * z * z - logStd - HALF_LOG_TWO_PI;
    }
    return logp;
  }
}

/** The plain-JS distribution for `spec`. */
export function createPlainDistribution(spec: DistributionSpec): PlainDistribution {
  if (spec.type === 'categorical') return new MultiCategorical([spec.n]);
  if (spec.type === 'multiCategorical') return new MultiCategorical(spec.nvec);
  return new DiagGaussian(spec.dim);
}
