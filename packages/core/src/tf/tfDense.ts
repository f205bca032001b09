import type { Activation } from '../config/settings.js';
import type { DenseLayer } from '../models/layout.js';
import { tf } from './backend.js';
import type { TfWeights } from './tfWeights.js';

/** `activation(x)` as a differentiable op. */
export function activate(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'tanh':
      return tf.tanh(x);
    case 'relu':
      return tf.relu(x);
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
    case 'linear':
      return x;
  }
}

/** `activation(x · kernel + bias)` for one dense layer of `weights`. */
export function denseLayer(weights: TfWeights, layer: DenseLayer, x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  const kernel = weights.get<tf.Rank.R2>(layer.kernel.name);
  const bias = weights.get<tf.Rank.R1>(layer.bias.name);
  return activate(tf.add(tf.matMul(x, kernel), bias), activation);
}

/** `layers` in order, each with `hidden` except the last, which is linear when `lastLinear`. */
export function denseStack(
  weights: TfWeights,
  layers: readonly DenseLayer[],
  x: tf.Tensor2D,
  hidden: Activation,
  lastLinear: boolean,
): tf.Tensor2D {
  let out = x;
  layers.forEach((layer, i) => {
    out = denseLayer(weights, layer, out, i === layers.length - 1 && lastLinear ? 'linear' : hidden);
  });
  return out;
}
