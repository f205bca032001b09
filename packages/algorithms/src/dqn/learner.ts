import type { ColumnSet, SampleBatch } from '@loomrl/core';
import type { QNetworkSpec } from '@loomrl/core/internal';
import { ClippedAdam, type OptimizerState, TfQNetwork, tf } from '@loomrl/core/tf';
import type { NStepColumns, ReplayColumns } from '../replay/index.js';
import type { DQNTrainingSettings } from './config.js';

/** The DQN settings the learner reads. */
export type DQNLearnerSettings = Pick<DQNTrainingSettings, 'lr' | 'gradClip' | 'adamEpsilon' | 'doubleQ' | 'tdErrorLossFn'>;

/** The columns of a replayed transition batch the loss reads. */
export interface DQNTrainColumns extends ColumnSet, NStepColumns, ReplayColumns {
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly nextObs: Float32Array;
  readonly terminateds: Uint8Array;
}

/** The stats of one DQN update (RLlib's DQN `learner_stats`, camelCased). */
export type DQNUpdateStats = {
  readonly loss: number;
  readonly meanQ: number;
  readonly minQ: number;
  readonly maxQ: number;
  readonly meanTdError: number;
  readonly curLr: number;
  readonly gradGnorm: number;
};

/** What one DQN update returns: the stats and the TD error of every row (for priority updates). */
export interface DQNUpdate {
  readonly stats: DQNUpdateStats;
  readonly tdErrors: Float32Array;
}

/**
 * DQN's learner: the loss and the update (RLlib's DQN loss, old API stack).
 *
 * target = R + γᵏ · (1 − terminated) · Q_target(s′, a′)          (R, γᵏ from the n-step connector)
 *          a′ = argmax_a Q_online(s′, a)  with doubleQ, else argmax_a Q_target(s′, a)
 * TD     = Q_online(s, a) − target            (no gradient through the target)
 * loss   = mean(w · huber(TD))  (or mean(w · ½TD²) with tdErrorLossFn 'mse'), w = prioritized-replay importance weights
 *
 * Adam with `adamEpsilon`, global-norm gradient clipping at `gradClip`; the target network is
 * updated by `updateTarget(tau)`.
 */
export class DQNLearner {
  readonly online: TfQNetwork;
  readonly target: TfQNetwork;
  private readonly optimizer: ClippedAdam;
  private readonly settings: DQNLearnerSettings;

  /** A learner for `spec` whose online and target networks start from `weights`. */
  constructor(spec: QNetworkSpec, weights: Float32Array, settings: DQNLearnerSettings) {
    this.online = new TfQNetwork(spec, weights);
    this.target = new TfQNetwork(spec, weights, false);
    this.optimizer = new ClippedAdam(this.online.weights.variables, settings.lr, settings.gradClip, settings.adamEpsilon);
    this.settings = settings;
  }

  private loss(
    b: Record<'obs' | 'nextObs' | 'rewards' | 'discounts' | 'notDone' | 'weights', tf.Tensor> & { actions: tf.Tensor1D },
    collect: tf.Tensor[],
  ): tf.Scalar {
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

  /** One gradient step on a replayed batch at learning rate `lr`. */
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

  /** Moves the target network toward the online one: a copy when `tau` = 1 (RLlib's `update_target`). */
  updateTarget(tau: number): void {
    this.target.weights.assignFrom(this.online.weights, tau);
  }

  /** The online network's weights as one flat array. */
  getWeights(): Float32Array {
    return this.online.weights.getWeights();
  }

  /** Optimizer moments and step count for a checkpoint. */
  getOptimizerState(): Promise<OptimizerState> {
    return this.optimizer.getState();
  }

  /** Restores optimizer state from a checkpoint. */
  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.optimizer.setState(state);
  }

  /** Frees every tensor the learner holds. */
  dispose(): void {
    this.optimizer.dispose();
    this.online.dispose();
    this.target.dispose();
  }
}
