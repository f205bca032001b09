import type { ActorCriticSpec } from '@loomrl/core/internal';
import { ClippedAdam, createTfDistribution, type OptimizerState, TfActorCritic, type TfDistribution, tf } from '@loomrl/core/tf';
import type { PPOEngine, PPOLearnerSettings, PPOTrainData } from './learner.js';

/** One minibatch of PPO's loss inputs as tensors. */
export interface PPOMinibatchTensors {
  readonly actions: tf.Tensor2D;
  readonly oldLogp: tf.Tensor1D;
  readonly oldDistInputs: tf.Tensor2D;
  readonly advantages: tf.Tensor1D;
  readonly valueTargets: tf.Tensor1D;
}

/** PPO's loss terms as scalars (`total` is what the optimizer minimizes). */
export interface PPOLossTerms {
  readonly total: tf.Scalar;
  readonly policyLoss: tf.Scalar;
  readonly vfLoss: tf.Scalar;
  readonly kl: tf.Scalar;
  readonly entropy: tf.Scalar;
}

/** PPO's loss (see `PPOLearner`) on the model's outputs `distInputs` and `values`, as differentiable tfjs ops. */
export function tfPPOLoss(
  distribution: TfDistribution,
  distInputs: tf.Tensor2D,
  values: tf.Tensor1D,
  mb: PPOMinibatchTensors,
  s: PPOLearnerSettings,
  klCoeff: number,
): PPOLossTerms {
  const logp = distribution.logp(distInputs, mb.actions);
  const ratio = tf.exp(tf.sub(logp, mb.oldLogp));
  const surrogate = tf.minimum(
    tf.mul(mb.advantages, ratio),
    tf.mul(mb.advantages, tf.clipByValue(ratio, 1 - s.clipParam, 1 + s.clipParam)),
  );
  const policyLoss = tf.neg(tf.mean(surrogate)) as tf.Scalar;
  const kl = tf.mean(distribution.kl(mb.oldDistInputs, distInputs)) as tf.Scalar;
  const entropy = tf.mean(distribution.entropy(distInputs)) as tf.Scalar;
  const vfLoss = s.useCritic
    ? (tf.mean(tf.clipByValue(tf.square(tf.sub(values, mb.valueTargets)), 0, s.vfClipParam)) as tf.Scalar)
    : tf.scalar(0);
  let total = tf.add(policyLoss, tf.sub(tf.mul(s.vfLossCoeff, vfLoss), tf.mul(s.entropyCoeff, entropy)));
  if (s.useKlLoss) total = tf.add(total, tf.mul(klCoeff, kl));
  return { total: total as tf.Scalar, policyLoss, vfLoss, kl, entropy };
}

/**
 * PPO's SGD steps in TensorFlow.js on its active backend (tfjs-node's `'tensorflow'`, `'wasm'`,
 * `'cpu'`): minibatches gathered from tensors of the whole batch, the loss as tfjs ops, `ClippedAdam`;
 * the stats stay tensors until `finish` reads them at once.
 */
export class TfPPOEngine implements PPOEngine {
  readonly model: TfActorCritic;
  private readonly distribution: TfDistribution;
  private readonly optimizer: ClippedAdam;
  private readonly settings: PPOLearnerSettings;
  private all: (PPOMinibatchTensors & { obs: tf.Tensor2D }) | null = null;
  private collected: tf.Scalar[][] = [];
  private gradNormSum = 0;

  /** An engine for `spec` starting from `weights`. */
  constructor(spec: ActorCriticSpec, weights: Float32Array, settings: PPOLearnerSettings) {
    this.model = new TfActorCritic(spec, weights);
    this.distribution = createTfDistribution(spec.dist);
    this.optimizer = new ClippedAdam(this.model.variables, settings.lr, settings.gradClip);
    this.settings = settings;
  }

  getWeights(): Float32Array {
    return this.model.getWeights();
  }

  setWeights(weights: Float32Array): void {
    this.model.setWeights(weights);
  }

  values(obs: Float32Array, rows: number): Float32Array {
    return tf.tidy(() => {
      const { values } = this.model.forward(tf.tensor2d(obs, [rows, obs.length / rows]));
      return new Float32Array(values.dataSync());
    });
  }

  begin(d: PPOTrainData, lr: number): void {
    this.optimizer.learningRate = lr;
    this.all = {
      obs: tf.tensor2d(d.obs, [d.rows, d.obsDim]),
      actions: tf.tensor2d(d.actions, [d.rows, d.actionDim]),
      oldLogp: tf.tensor1d(d.oldLogp),
      oldDistInputs: tf.tensor2d(d.oldDistInputs, [d.rows, d.distDim]),
      advantages: tf.tensor1d(d.advantages),
      valueTargets: tf.tensor1d(d.valueTargets),
    };
    this.collected = [];
    this.gradNormSum = 0;
  }

  step(order: Int32Array, start: number, rows: number, klCoeff: number): void {
    const all = this.all;
    if (all === null) throw new Error('TfPPOEngine.step before begin');
    const indices = tf.tensor1d(order.subarray(start, start + rows), 'int32');
    const mb = {
      obs: tf.gather(all.obs, indices),
      actions: tf.gather(all.actions, indices),
      oldLogp: tf.gather(all.oldLogp, indices),
      oldDistInputs: tf.gather(all.oldDistInputs, indices),
      advantages: tf.gather(all.advantages, indices),
      valueTargets: tf.gather(all.valueTargets, indices),
    };
    this.gradNormSum += this.optimizer.step(() => {
      const { distInputs, values } = this.model.forward(mb.obs);
      const terms = tfPPOLoss(this.distribution, distInputs, values, mb, this.settings, klCoeff);
      // The returned total is disposed by the optimizer; the stats keep their own copies.
      this.collected.push([tf.clone(terms.total), terms.policyLoss, terms.vfLoss, terms.kl, terms.entropy].map((t) => tf.keep(t)));
      return terms.total;
    });
    tf.dispose([indices, ...Object.values(mb)]);
  }

  finish(): { means: number[]; gradNormSum: number } {
    const collected = this.collected;
    const means = tf.tidy(() => tf.mean(tf.stack(collected.map((row) => tf.stack(row))), 0));
    const values = Array.from(means.dataSync());
    tf.dispose([means, ...collected.flat(), ...Object.values(this.all ?? {})]);
    this.all = null;
    this.collected = [];
    return { means: values, gradNormSum: this.gradNormSum };
  }

  getOptimizerState(): Promise<OptimizerState> {
    return this.optimizer.getState();
  }

  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.optimizer.setState(state);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}
