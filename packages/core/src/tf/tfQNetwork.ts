import { type QNetworkLayout, type QNetworkSpec, qNetworkLayout } from '../models/qNetwork.js';
import { tf } from './backend.js';
import { denseStack } from './tfDense.js';
import { TfWeights } from './tfWeights.js';

/**
 * The learner's copy of a Q network (trunk, then a Q head or dueling streams with
 * Q = V + A − mean(A)): tfjs variables over the flat layout the plain-JS `QNetworkInference` uses.
 */
export class TfQNetwork {
  readonly spec: QNetworkSpec;
  readonly layout: QNetworkLayout;
  readonly weights: TfWeights;

  /** Variables for `spec`, set to `weights`; `trainable: false` for a target network. */
  constructor(spec: QNetworkSpec, weights: Float32Array, trainable = true) {
    this.spec = spec;
    this.layout = qNetworkLayout(spec);
    this.weights = new TfWeights(this.layout, weights, trainable);
  }

  /** Q values `[rows, numActions]` (call inside `tf.tidy` or a gradient function). */
  forward(obs: tf.Tensor2D): tf.Tensor2D {
    const { layout, spec } = this;
    const features = denseStack(this.weights, layout.trunk, obs, spec.activation, false);
    const advantage = denseStack(this.weights, layout.advantage, features, 'relu', true);
    if (!spec.dueling) return advantage;
    const value = denseStack(this.weights, layout.value, features, 'relu', true);
    return tf.add(value, tf.sub(advantage, tf.mean(advantage, 1, true)));
  }

  /** Frees the variables. */
  dispose(): void {
    this.weights.dispose();
  }
}
