import type { DenseLayer, WeightLayout } from '../models/layout.js';
import { weightLayout } from '../models/layout.js';
import type { ActorCriticSpec } from '../models/spec.js';
import { tf } from './backend.js';
import { denseStack } from './tfDense.js';
import { TfWeights } from './tfWeights.js';

/**
 * The learner's copy of an actor-critic MLP: one tfjs variable per entry of the flat weight
 * layout, so `getWeights()`/`setWeights()` exchange the same `Float32Array` the inference module uses.
 */
export class TfActorCritic {
  readonly spec: ActorCriticSpec;
  readonly layout: WeightLayout;
  private readonly weights: TfWeights;

  /** Variables for `spec`, set to `weights`. */
  constructor(spec: ActorCriticSpec, weights: Float32Array) {
    this.spec = spec;
    this.layout = weightLayout(spec);
    this.weights = new TfWeights(this.layout, weights);
  }

  /** Trainable variables, in layout order. */
  get variables(): tf.Variable[] {
    return this.weights.variables;
  }

  private branch(layers: readonly DenseLayer[], head: DenseLayer, obs: tf.Tensor2D): tf.Tensor2D {
    return denseStack(this.weights, [...layers, head], obs, this.spec.activation, true);
  }

  /** Distribution inputs `[rows, distInputDim]` and values `[rows]` (call inside `tf.tidy` or a gradient function). */
  forward(obs: tf.Tensor2D): { distInputs: tf.Tensor2D; values: tf.Tensor1D } {
    const { layout, spec } = this;
    let distInputs = this.branch(layout.policyTrunk, layout.logitsHead, obs);
    if (layout.logStd !== null) {
      const logStd = this.weights.get<tf.Rank.R1>(layout.logStd.name);
      const rows = obs.shape[0];
      distInputs = tf.concat([distInputs, tf.tile(tf.reshape(logStd, [1, -1]) as tf.Tensor2D, [rows, 1])], 1);
    }
    const valueTrunk = spec.vfShareLayers ? layout.policyTrunk : layout.valueTrunk;
    const values = tf.reshape(this.branch(valueTrunk, layout.valueHead, obs), [-1]) as tf.Tensor1D;
    return { distInputs, values };
  }

  /** The weights as one flat array in layout order. */
  getWeights(): Float32Array {
    return this.weights.getWeights();
  }

  /** Assigns every variable from a flat array in layout order. */
  setWeights(weights: Float32Array): void {
    this.weights.setWeights(weights);
  }

  /** Frees the variables. */
  dispose(): void {
    this.weights.dispose();
  }
}
