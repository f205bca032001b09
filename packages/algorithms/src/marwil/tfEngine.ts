import { type ActorCriticSpec, gatherRows } from '@loomrl/core/internal';
import { ClippedAdam, createTfDistribution, type OptimizerState, TfActorCritic, type TfDistribution, tf } from '@loomrl/core/tf';
import type { MARWILEngine, MARWILLearnerSettings, MARWILTrainData } from './learner.js';

/** One minibatch of MARWIL's loss inputs as tensors (`returns` null for BC). */
export interface MARWILMinibatchTensors {
  readonly obs: tf.Tensor2D;
  readonly actions: tf.Tensor2D;
  readonly returns: tf.Tensor1D | null;
}

/**
 * MARWIL's loss (see `MARWILLearner`) on the model's outputs `distInputs` and `values` as
 * differentiable tfjs ops: [total, policyLoss, vfLoss]. BC (`weights` null) trains no value branch;
 * its zero-weighted value term gives the value variables (zero) gradients.
 */
export function tfMARWILLoss(
  distribution: TfDistribution,
  distInputs: tf.Tensor2D,
  values: tf.Tensor1D,
  mb: MARWILMinibatchTensors,
  weights: tf.Tensor1D | null,
  s: MARWILLearnerSettings,
): [tf.Scalar, tf.Scalar, tf.Scalar] {
  let logp: tf.Tensor1D = distribution.logp(distInputs, mb.actions);
  if (s.bcLogstdCoeff > 0) {
    const [, logStd] = tf.split(distInputs, 2, 1);
    logp = tf.add(logp, tf.mul(s.bcLogstdCoeff, tf.mean(logStd as tf.Tensor2D, 1))) as tf.Tensor1D;
  }
  const policyLoss = tf.neg(tf.mean(weights === null ? logp : tf.mul(weights, logp))) as tf.Scalar;
  const vfLoss =
    mb.returns === null
      ? (tf.mul(0, tf.sum(values)) as tf.Scalar)
      : (tf.mul(0.5, tf.mean(tf.square(tf.sub(mb.returns, values)))) as tf.Scalar);
  return [tf.add(policyLoss, tf.mul(s.vfCoeff, vfLoss)) as tf.Scalar, policyLoss, vfLoss];
}

/**
 * MARWIL's Adam steps in TensorFlow.js on its active backend (tfjs-node's `'tensorflow'`,
 * `'wasm'`, `'cpu'`): minibatch rows gathered in JS into tensors, the loss as tfjs ops, `ClippedAdam`.
 */
export class TfMARWILEngine implements MARWILEngine {
  readonly model: TfActorCritic;
  private readonly distribution: TfDistribution;
  private readonly optimizer: ClippedAdam;
  private readonly settings: MARWILLearnerSettings;
  private data: MARWILTrainData | null = null;
  private mb: MARWILMinibatchTensors | null = null;

  /** An engine for `spec` starting from `weights`. */
  constructor(spec: ActorCriticSpec, weights: Float32Array, settings: MARWILLearnerSettings) {
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
    return tf.tidy(() => new Float32Array(this.model.forward(tf.tensor2d(obs, [rows, obs.length / rows])).values.dataSync()));
  }

  begin(data: MARWILTrainData, lr: number): void {
    this.optimizer.learningRate = lr;
    this.data = data;
  }

  forward(order: Int32Array, start: number, rows: number): Float32Array {
    const d = this.data;
    if (d === null) throw new Error('TfMARWILEngine.forward before begin');
    const pick = (data: Float32Array, width: number) => {
      const out = new Float32Array(rows * width);
      gatherRows({ data, width, indices: order, start }, rows, out);
      return out;
    };
    const obs = pick(d.obs, d.obsDim);
    this.disposeMinibatch();
    this.mb = {
      obs: tf.tensor2d(obs, [rows, d.obsDim]),
      actions: tf.tensor2d(pick(d.actions, d.actionDim), [rows, d.actionDim]),
      returns: d.returns === null ? null : tf.tensor1d(pick(d.returns, 1)),
    };
    return d.returns === null ? new Float32Array(0) : this.values(obs, rows);
  }

  step(weights: Float32Array | null): number[] {
    const mb = this.mb;
    if (mb === null) throw new Error('TfMARWILEngine.step before forward');
    const w = weights === null ? null : tf.tensor1d(weights);
    const kept: tf.Scalar[] = [];
    const gradGnorm = this.optimizer.step(() => {
      const { distInputs, values } = this.model.forward(mb.obs);
      const [total, policyLoss, vfLoss] = tfMARWILLoss(this.distribution, distInputs, values, mb, w, this.settings);
      // The returned total is disposed by the optimizer; the stats keep their own copies.
      kept.push(...[tf.clone(total), policyLoss, vfLoss].map((t) => tf.keep(t)));
      return total;
    });
    const stats = kept.map((t) => t.dataSync()[0] ?? Number.NaN);
    tf.dispose([...kept, ...(w === null ? [] : [w])]);
    this.disposeMinibatch();
    return [...stats, gradGnorm];
  }

  private disposeMinibatch(): void {
    if (this.mb === null) return;
    tf.dispose([this.mb.obs, this.mb.actions, ...(this.mb.returns === null ? [] : [this.mb.returns])]);
    this.mb = null;
  }

  getOptimizerState(): Promise<OptimizerState> {
    return this.optimizer.getState();
  }

  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.optimizer.setState(state);
  }

  dispose(): void {
    this.disposeMinibatch();
    this.optimizer.dispose();
    this.model.dispose();
  }
}
