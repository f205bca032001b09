import type { SampleBatch } from '@loomrl/core';
import type { QNetworkSpec } from '@loomrl/core/internal';
import { ClippedAdam, type OptimizerState, TfQNetwork, tf } from '@loomrl/core/tf';
import type { DQNEngine, DQNLearnerSettings, DQNTrainColumns, DQNUpdate, DQNUpdateStats } from './learner.js';

type LossTensors = Record<'obs' | 'nextObs' | 'rewards' | 'discounts' | 'notDone' | 'weights', tf.Tensor> & { actions: tf.Tensor1D };

/** DQN's updates in TensorFlow.js on its active backend: the loss as tfjs ops, `ClippedAdam`, target variables. */
export class TfDQNEngine implements DQNEngine {
  readonly online: TfQNetwork;
  readonly target: TfQNetwork;
  private readonly optimizer: ClippedAdam;
  private readonly settings: DQNLearnerSettings;

  /** Online and target networks for `spec`, both starting from `weights`. */
  constructor(spec: QNetworkSpec, weights: Float32Array, settings: DQNLearnerSettings) {
    this.online = new TfQNetwork(spec, weights);
    this.target = new TfQNetwork(spec, weights, false);
    this.optimizer = new ClippedAdam(this.online.weights.variables, settings.lr, settings.gradClip, settings.adamEpsilon);
    this.settings = settings;
  }

  private loss(b: LossTensors, collect: tf.Tensor[]): tf.Scalar {
    const n = this.online.spec.numActions;
    const q = this.online.forward(b.obs as tf.Tensor2D);
    const qSelected = tf.sum(tf.mul(q, tf.oneHot(b.actions, n)), 1);
    const qTargetNext = this.target.forward(b.nextObs as tf.Tensor2D);
    const nextAction = this.settings.doubleQ ? tf.argMax(this.online.forward(b.nextObs as tf.Tensor2D), 1) : tf.argMax(qTargetNext, 1);
    const qNext = tf.sum(tf.mul(qTargetNext, tf.oneHot(nextAction, n)), 1);
    // Gradients flow only into the online variables: the target net is not among them, argmax has none.
    const target = tf.add(b.rewards, tf.mul(tf.mul(b.discounts, b.notDone), qNext));
    const td = tf.sub(qSelected, target);
    // Huber with δ = 1 as ½·min(|TD|, 1)² + (|TD| − min(|TD|, 1)): differentiable ops only.
    const absTd = tf.abs(td);
    const quadratic = tf.minimum(absTd, 1);
    const perRow =
      this.settings.tdErrorLossFn === 'huber'
        ? tf.add(tf.mul(0.5, tf.square(quadratic)), tf.sub(absTd, quadratic))
        : tf.mul(0.5, tf.square(td));
    const loss = tf.mean(tf.mul(b.weights, perRow)) as tf.Scalar;
    collect.push(...[tf.clone(loss), tf.mean(qSelected), tf.min(qSelected), tf.max(qSelected), tf.mean(td), td].map((t) => tf.keep(t)));
    return loss;
  }

  update(batch: SampleBatch<DQNTrainColumns>, lr: number): DQNUpdate {
    this.optimizer.learningRate = lr;
    const c = batch.columns;
    const rows = batch.count;
    const dim = batch.widths.obs;
    const collected: tf.Tensor[] = [];
    const tensors = {
      obs: tf.tensor2d(c.obs, [rows, dim]),
      nextObs: tf.tensor2d(c.nextObs, [rows, dim]),
      actions: tf.tensor1d(Int32Array.from(c.actions), 'int32'),
      rewards: tf.tensor1d(c.rewards),
      discounts: tf.tensor1d(c.nStepDiscounts),
      notDone: tf.tensor1d(Float32Array.from(c.terminateds, (t) => 1 - t)),
      weights: tf.tensor1d(c.weights),
    };
    const gradGnorm = this.optimizer.step(() => this.loss(tensors, collected));
    const [loss, meanQ, minQ, maxQ, meanTd, td] = collected as [tf.Scalar, tf.Scalar, tf.Scalar, tf.Scalar, tf.Scalar, tf.Tensor1D];
    const stats: DQNUpdateStats = {
      loss: loss.dataSync()[0] ?? Number.NaN,
      meanQ: meanQ.dataSync()[0] ?? Number.NaN,
      minQ: minQ.dataSync()[0] ?? Number.NaN,
      maxQ: maxQ.dataSync()[0] ?? Number.NaN,
      meanTdError: meanTd.dataSync()[0] ?? Number.NaN,
      curLr: lr,
      gradGnorm,
    };
    const tdErrors = new Float32Array(td.dataSync());
    tf.dispose([...collected, ...Object.values(tensors)]);
    return { stats, tdErrors };
  }

  updateTarget(tau: number): void {
    this.target.weights.assignFrom(this.online.weights, tau);
  }

  getWeights(): Float32Array {
    return this.online.weights.getWeights();
  }

  setWeights(weights: Float32Array): void {
    this.online.weights.setWeights(weights);
  }

  getTargetWeights(): Float32Array {
    return this.target.weights.getWeights();
  }

  setTargetWeights(weights: Float32Array): void {
    this.target.weights.setWeights(weights);
  }

  getOptimizerState(): Promise<OptimizerState> {
    return this.optimizer.getState();
  }

  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.optimizer.setState(state);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.online.dispose();
    this.target.dispose();
  }
}
