import type { Activation } from '../config/settings.js';
import type { DenseLayer, WeightLayout } from '../models/layout.js';
import { weightLayout } from '../models/layout.js';
import type { ActorCriticSpec } from '../models/spec.js';
import { tf } from './backend.js';

function activate(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
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

/**
 * The learner's copy of an actor-critic MLP: one tfjs variable per entry of the flat weight
 * layout, so `getWeights()`/`setWeights()` exchange the same `Float32Array` the inference module uses.
 */
export class TfActorCritic {
  readonly spec: ActorCriticSpec;
  readonly layout: WeightLayout;
  /** Trainable variables, in layout order. */
  readonly variables: tf.Variable[];
  private readonly byName: Map<string, tf.Variable>;

  /** Variables for `spec`, set to `weights`. */
  constructor(spec: ActorCriticSpec, weights: Float32Array) {
    this.spec = spec;
    this.layout = weightLayout(spec);
    this.variables = this.layout.entries.map((entry) => {
      const initial = tf.tensor(weights.subarray(entry.offset, entry.offset + entry.size), [...entry.shape], 'float32');
      const variable = tf.variable(initial, true);
      // The variable keeps the data; the initial tensor would otherwise outlive dispose().
      initial.dispose();
      return variable;
    });
    this.byName = new Map(this.layout.entries.map((entry, i) => [entry.name, this.variables[i] as tf.Variable]));
  }

  private dense(layer: DenseLayer, x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
    const kernel = this.byName.get(layer.kernel.name) as tf.Variable<tf.Rank.R2>;
    const bias = this.byName.get(layer.bias.name) as tf.Variable<tf.Rank.R1>;
    return activate(tf.add(tf.matMul(x, kernel), bias), activation);
  }

  private branch(layers: readonly DenseLayer[], head: DenseLayer, obs: tf.Tensor2D): tf.Tensor2D {
    let x = obs;
    for (const layer of layers) x = this.dense(layer, x, this.spec.activation);
    return this.dense(head, x, 'linear');
  }

  /** Distribution inputs `[rows, distInputDim]` and values `[rows]` (call inside `tf.tidy` or a gradient function). */
  forward(obs: tf.Tensor2D): { distInputs: tf.Tensor2D; values: tf.Tensor1D } {
    const { layout, spec } = this;
    let distInputs = this.branch(layout.policyTrunk, layout.logitsHead, obs);
    if (layout.logStd !== null) {
      const logStd = this.byName.get(layout.logStd.name) as tf.Variable<tf.Rank.R1>;
      const rows = obs.shape[0];
      distInputs = tf.concat([distInputs, tf.tile(tf.reshape(logStd, [1, -1]) as tf.Tensor2D, [rows, 1])], 1);
    }
    const valueTrunk = spec.vfShareLayers ? layout.policyTrunk : layout.valueTrunk;
    const values = tf.reshape(this.branch(valueTrunk, layout.valueHead, obs), [-1]) as tf.Tensor1D;
    return { distInputs, values };
  }

  /** The weights as one flat array in layout order. */
  getWeights(): Float32Array {
    const out = new Float32Array(this.layout.size);
    this.layout.entries.forEach((entry, i) => {
      out.set((this.variables[i] as tf.Variable).dataSync() as Float32Array, entry.offset);
    });
    return out;
  }

  /** Assigns every variable from a flat array in layout order. */
  setWeights(weights: Float32Array): void {
    if (weights.length !== this.layout.size) {
      throw new RangeError(`setWeights: expected ${this.layout.size} numbers for this model, got ${weights.length}`);
    }
    tf.tidy(() => {
      this.layout.entries.forEach((entry, i) => {
        (this.variables[i] as tf.Variable).assign(
          tf.tensor(weights.subarray(entry.offset, entry.offset + entry.size), [...entry.shape], 'float32'),
        );
      });
    });
  }

  /** Frees the variables. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
