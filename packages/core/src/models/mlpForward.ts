import type { Activation } from '../config/settings.js';
import type { DenseLayer } from './layout.js';

/** Applies `activation` in place to `values[0, length)`. */
export function applyActivation(values: Float32Array, length: number, activation: Activation): void {
  switch (activation) {
    case 'tanh':
      for (let i = 0; i < length; i++) values[i] = Math.tanh(values[i] as number);
      return;
    case 'relu':
      for (let i = 0; i < length; i++) if ((values[i] as number) < 0) values[i] = 0;
      return;
    case 'swish':
      for (let i = 0; i < length; i++) {
        const x = values[i] as number;
        values[i] = x / (1 + Math.exp(-x));
      }
      return;
    case 'linear':
      return;
  }
}

/** A dense layer ready for the plain-JS forward pass: its kernel transposed to `[out, in]` row-major. */
export interface PreparedDense {
  readonly inputs: number;
  readonly outputs: number;
  /** `kernelT[o·inputs + i]` = kernel[i][o]. */
  readonly kernelT: Float32Array;
  readonly bias: Float32Array;
}

/** Copies `layer`'s kernel out of the flat `[in, out]` weights, transposed, with its bias. */
export function prepareDense(layer: DenseLayer, weights: Float32Array): PreparedDense {
  const { inputs, outputs } = layer;
  const kernelT = new Float32Array(inputs * outputs);
  const offset = layer.kernel.offset;
  for (let i = 0; i < inputs; i++) {
    for (let o = 0; o < outputs; o++) kernelT[o * inputs + i] = weights[offset + i * outputs + o] as number;
  }
  return { inputs, outputs, kernelT, bias: weights.slice(layer.bias.offset, layer.bias.offset + outputs) };
}

/**
 * `output = activation(input · kernel + bias)` for `rows` rows in plain typed-array loops: each
 * output is one contiguous dot product with a float64 accumulator (a few µs for small MLPs, where
 * one tfjs call costs ~100 µs).
 */
export function denseForward(layer: PreparedDense, input: Float32Array, rows: number, output: Float32Array, activation: Activation): void {
  const { inputs, outputs, kernelT, bias } = layer;
  let r = 0;
  // Four rows at a time: each weight is loaded once for four multiply-adds.
  for (; r + 3 < rows; r += 4) {
    const in0 = r * inputs;
    const in1 = in0 + inputs;
    const in2 = in1 + inputs;
    const in3 = in2 + inputs;
    const out0 = r * outputs;
    for (let o = 0; o < outputs; o++) {
      const wBase = o * inputs;
      const b = bias[o] as number;
      let s0 = b;
      let s1 = b;
      let s2 = b;
      let s3 = b;
      for (let i = 0; i < inputs; i++) {
        const w = kernelT[wBase + i] as number;
        s0 += (input[in0 + i] as number) * w;
        s1 += (input[in1 + i] as number) * w;
        s2 += (input[in2 + i] as number) * w;
        s3 += (input[in3 + i] as number) * w;
      }
      output[out0 + o] = s0;
      output[out0 + outputs + o] = s1;
      output[out0 + 2 * outputs + o] = s2;
      output[out0 + 3 * outputs + o] = s3;
    }
  }
  for (; r < rows; r++) {
    const inBase = r * inputs;
    const outBase = r * outputs;
    for (let o = 0; o < outputs; o++) {
      const wBase = o * inputs;
      let sum = bias[o] as number;
      let i = 0;
      for (; i + 3 < inputs; i += 4) {
        sum +=
          (input[inBase + i] as number) * (kernelT[wBase + i] as number) +
          (input[inBase + i + 1] as number) * (kernelT[wBase + i + 1] as number) +
          (input[inBase + i + 2] as number) * (kernelT[wBase + i + 2] as number) +
          (input[inBase + i + 3] as number) * (kernelT[wBase + i + 3] as number);
      }
      for (; i < inputs; i++) sum += (input[inBase + i] as number) * (kernelT[wBase + i] as number);
      output[outBase + o] = sum;
    }
  }
  applyActivation(output, rows * outputs, activation);
}
