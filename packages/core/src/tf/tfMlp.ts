import type { Activation } from '../config/settings.js';
import type { ActorSpec } from '../models/actorNetwork.js';
import { actorLayout, SQUASHED_LOG_STD_MAX, SQUASHED_LOG_STD_MIN } from '../models/actorNetwork.js';
import type { PlainMlpLayout } from '../models/mlpLayout.js';
import { tf } from './backend.js';
import { denseStack } from './tfDense.js';
import { TfWeights } from './tfWeights.js';

/** An MLP on tfjs variables over a flat layout (hidden layers with `activation`, a linear output): the learners' Q networks. */
export class TfMlp {
  readonly weights: TfWeights;

  /** Variables for `layout`, set to `weights`; `trainable: false` for a target network. */
  constructor(
    readonly layout: PlainMlpLayout,
    readonly activation: Activation,
    weights: Float32Array,
    trainable = true,
  ) {
    this.weights = new TfWeights(layout, weights, trainable);
  }

  /** `[rows, outputs]` (call inside `tf.tidy` or a gradient function). */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    return denseStack(this.weights, this.layout.layers, x, this.activation, true);
  }

  /** Frees the variables. */
  dispose(): void {
    this.weights.dispose();
  }
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Σ over columns of log N(x; mean, exp(logStd)), `[rows]`. */
function normalLogDensity(x: tf.Tensor2D, mean: tf.Tensor2D, logStd: tf.Tensor2D): tf.Tensor2D {
  const z = tf.div(tf.sub(x, mean), tf.exp(logStd));
  return tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logStd), HALF_LOG_TWO_PI) as tf.Tensor2D;
}

/**
 * The learner's twin of `ActorInference` (same flat layout and numbers to ~1e-5): the actor
 * network and its distributions as differentiable ops.
 */
export class TfActor {
  readonly weights: TfWeights;

  /** Variables for `spec`, set to `weights`. */
  constructor(
    readonly spec: ActorSpec,
    weights: Float32Array,
    trainable = true,
  ) {
    this.weights = new TfWeights(actorLayout(spec), weights, trainable);
  }

  /** Distribution inputs `[rows, outputs]`. */
  forward(obs: tf.Tensor2D): tf.Tensor2D {
    return denseStack(this.weights, actorLayout(this.spec).layers, obs, this.spec.activation, true);
  }

  /** Categorical: log-probabilities of every action `[rows, n]` (logits / temperature). */
  logProbs(inputs: tf.Tensor2D): tf.Tensor2D {
    return tf.logSoftmax(tf.div(inputs, this.spec.temperature)) as tf.Tensor2D;
  }

  private meanLogStd(inputs: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    const [mean, raw] = tf.split(inputs, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    const logStd = this.spec.distribution === 'squashedGaussian' ? tf.clipByValue(raw, SQUASHED_LOG_STD_MIN, SQUASHED_LOG_STD_MAX) : raw;
    return [mean, logStd];
  }

  /**
   * Gaussian actors: a reparameterised sample from noise `eps` (`[rows, dim]` standard normals) and
   * its log-probability `[rows]`: squashed a = tanh(u), log π = Σ log N(u) − log(1 − a² + 1e-6)
   * (RLlib's `sample_logp`); Gaussian a = u.
   */
  sample(inputs: tf.Tensor2D, eps: tf.Tensor2D): { actions: tf.Tensor2D; logp: tf.Tensor1D } {
    const [mean, logStd] = this.meanLogStd(inputs);
    const u = tf.add(mean, tf.mul(tf.exp(logStd), eps)) as tf.Tensor2D;
    const logN = normalLogDensity(u, mean, logStd);
    if (this.spec.distribution !== 'squashedGaussian') return { actions: u, logp: tf.sum(logN, 1) };
    const actions = tf.tanh(u);
    return { actions, logp: tf.sum(tf.sub(logN, tf.log(tf.add(tf.sub(1, tf.square(actions)), 1e-6))), 1) as tf.Tensor1D };
  }

  /** log π(a|s) `[rows]` of given actions (`[rows, 1]` indices for categorical; RLlib's `logp` with its clips for the squashed Gaussian). */
  logp(inputs: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor1D {
    if (this.spec.distribution === 'categorical') {
      const onehot = tf.oneHot(tf.cast(tf.reshape(actions, [-1]), 'int32'), this.spec.actionSize);
      return tf.sum(tf.mul(this.logProbs(inputs), onehot), 1);
    }
    const [mean, logStd] = this.meanLogStd(inputs);
    if (this.spec.distribution === 'diagGaussian') return tf.sum(normalLogDensity(actions, mean, logStd), 1);
    const u = tf.atanh(tf.clipByValue(actions, -1 + 1e-6, 1 - 1e-6)) as tf.Tensor2D;
    const t = tf.tanh(u);
    return tf.sum(tf.sub(tf.clipByValue(normalLogDensity(u, mean, logStd), -100, 100), tf.log(tf.add(tf.sub(1, tf.square(t)), 1e-6))), 1);
  }

  /** Frees the variables. */
  dispose(): void {
    this.weights.dispose();
  }
}
