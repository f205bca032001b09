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

/**
 * `output = activation(input · kernel + bias)` for `rows` rows, in plain typed-array loops
 * (a few µs for small MLPs, where one tfjs call costs ~100 µs). Kernels are `[in, out]` row-major.
 */
export function denseForward(
  layer: DenseLayer,
  weights: Float32Array,
  input: Float32Array,
  rows: number,
  output: Float32Array,
  activation: Activation,
): void {
  const inputs = layer.inputs;
  const outputs = layer.outputs;
  const kernel = layer.kernel.offset;
  const bias = layer.bias.offset;
  for (let r = 0; r < rows; r++) {
    const outBase = r * outputs;
    const inBase = r * inputs;
    for (let o = 0; o < outputs; o++) output[outBase + o] = weights[bias + o] as number;
    for (let i = 0; i < inputs; i++) {
      const x = input[inBase + i] as number;
      if (x === 0) continue;
      const row = kernel + i * outputs;
      for (let o = 0; o < outputs; o++) output[outBase + o] = (output[outBase + o] as number) + x * (weights[row + o] as number);
    }
  }
  applyActivation(output, rows * outputs, activation);
}
