import type { LearnerStats, Rng, SampleBatch } from '@loomrl/core';
import { ClippedAdam, type OptimizerState, tf } from '@loomrl/core/tf';
import type { DQNTrainColumns } from '../dqn/learner.js';
import type { SACEngine, SACEngineInit, SACUpdate } from './learner.js';
import { huber, normalNoise, SacNetworks } from './networks.js';

/** The batch tensors of one update. */
interface Batch {
  readonly rows: number;
  readonly obs: tf.Tensor2D;
  readonly nextObs: tf.Tensor2D;
  readonly actions: tf.Tensor2D;
  readonly rewards: tf.Tensor1D;
  /** γᵏ · (1 − terminated). */
  readonly discounts: tf.Tensor1D;
  readonly weights: tf.Tensor1D;
}

/** SAC's updates (see `SACLearner`) in TensorFlow.js on its active backend: the losses as tfjs ops, `ClippedAdam`, target variables. */
export class TfSACEngine implements SACEngine {
  readonly nets: SacNetworks;
  readonly targetEntropy: number;
  private readonly rng: Rng;
  private readonly actorOptimizer: ClippedAdam;
  private readonly criticOptimizer: ClippedAdam;
  private readonly alphaOptimizer: ClippedAdam;

  /** Networks from `init.weights` (targets copy the Q networks) and their optimizers. */
  constructor(init: SACEngineInit) {
    const { settings } = init;
    const nets = new SacNetworks(init.spec, init.weights);
    this.nets = nets;
    this.targetEntropy = init.targetEntropy;
    this.rng = init.rng;
    const o = settings.optimization;
    this.actorOptimizer = new ClippedAdam(nets.actor.weights.variables, o.actorLearningRate, settings.gradClip, 1e-7);
    this.criticOptimizer = new ClippedAdam(nets.criticVariables, o.criticLearningRate, settings.gradClip, 1e-7);
    this.alphaOptimizer = new ClippedAdam([nets.logAlpha], o.entropyLearningRate, settings.gradClip, 1e-7);
  }

  private tensors(batch: SampleBatch<DQNTrainColumns>): Batch {
    const c = batch.columns;
    const rows = batch.count;
    return {
      rows,
      obs: tf.tensor2d(c.obs, [rows, batch.widths.obs]),
      nextObs: tf.tensor2d(c.nextObs, [rows, batch.widths.obs]),
      actions: tf.tensor2d(c.actions, [rows, batch.widths.actions]),
      rewards: tf.tensor1d(c.rewards),
      discounts: tf.tensor1d(Float32Array.from(c.nStepDiscounts, (d, i) => d * (1 - (c.terminateds[i] as number)))),
      weights: tf.tensor1d(c.weights),
    };
  }

  /** One update on a replayed batch. */
  update(batch: SampleBatch<DQNTrainColumns>): SACUpdate {
    const b = this.tensors(batch);
    const result = this.nets.spec.discrete ? this.discreteUpdate(b) : this.continuousUpdate(b);
    tf.dispose(Object.values(b).filter((t): t is tf.Tensor => t instanceof tf.Tensor));
    return result;
  }

  private noise(rows: number): tf.Tensor2D {
    return tf.tensor2d(normalNoise(this.rng, rows, this.nets.spec.actor.actionSize), [rows, this.nets.spec.actor.actionSize]);
  }

  private continuousUpdate(b: Batch): SACUpdate {
    const nets = this.nets;
    const eps = this.noise(b.rows);
    const epsNext = this.noise(b.rows);
    const [y, logpConst, alpha] = tf.tidy(() => {
      const a = tf.exp(nets.logAlpha);
      const next = nets.actor.sample(nets.actor.forward(b.nextObs), epsNext);
      const qNext = tf.sub(nets.minQ(nets.qTarget, b.nextObs, next.actions), tf.mul(a, next.logp));
      const target = tf.add(b.rewards, tf.mul(b.discounts, qNext));
      const now = nets.actor.sample(nets.actor.forward(b.obs), eps);
      return [target, now.logp, a].map((t) => tf.keep(t)) as [tf.Tensor1D, tf.Tensor1D, tf.Scalar];
    });
    const kept: tf.Tensor[] = [];
    const actorGnorm = this.actorOptimizer.step(() => {
      const drawn = nets.actor.sample(nets.actor.forward(b.obs), eps);
      const loss = tf.mean(tf.sub(tf.mul(alpha, drawn.logp), nets.minQ(nets.q, b.obs, drawn.actions))) as tf.Scalar;
      kept.push(tf.keep(tf.clone(loss)));
      return loss;
    });
    this.alphaStep(() => tf.neg(tf.mean(tf.mul(nets.logAlpha, tf.add(logpConst, this.targetEntropy)))) as tf.Scalar, kept);
    const td = this.criticStep(b, y, (net) => nets.qValues(net, b.obs, b.actions) as tf.Tensor1D, kept);
    const stats = this.stats(kept, alpha, actorGnorm);
    tf.dispose([y, logpConst, alpha, eps, epsNext, ...kept]);
    return { stats, tdErrors: td };
  }

  private discreteUpdate(b: Batch): SACUpdate {
    const nets = this.nets;
    const n = nets.spec.actor.actionSize;
    const [y, probsConst, logProbsConst, q1Const, alpha] = tf.tidy(() => {
      const a = tf.exp(nets.logAlpha);
      const nextLogProbs = nets.actor.logProbs(nets.actor.forward(b.nextObs));
      const qNext = tf.sub(nets.minQ(nets.qTarget, b.nextObs, null), tf.mul(a, nextLogProbs));
      const vNext = tf.sum(tf.mul(tf.exp(nextLogProbs), qNext), 1);
      const target = tf.add(b.rewards, tf.mul(b.discounts, vNext));
      const logProbs = nets.actor.logProbs(nets.actor.forward(b.obs));
      const q1 = nets.qValues(nets.q[0] as never, b.obs, null);
      return [target, tf.exp(logProbs), logProbs, q1, a].map((t) => tf.keep(t)) as [
        tf.Tensor1D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Scalar,
      ];
    });
    const kept: tf.Tensor[] = [];
    const actorGnorm = this.actorOptimizer.step(() => {
      const logProbs = nets.actor.logProbs(nets.actor.forward(b.obs));
      const loss = tf.mean(tf.sum(tf.mul(tf.exp(logProbs), tf.sub(tf.mul(alpha, logProbs), q1Const)), 1)) as tf.Scalar;
      kept.push(tf.keep(tf.clone(loss)));
      return loss;
    });
    this.alphaStep(
      () => tf.mean(tf.sum(tf.mul(probsConst, tf.neg(tf.mul(nets.logAlpha, tf.add(logProbsConst, this.targetEntropy)))), 1)) as tf.Scalar,
      kept,
    );
    const onehot = tf.oneHot(tf.cast(tf.reshape(b.actions, [-1]), 'int32'), n);
    const td = this.criticStep(b, y, (net) => tf.sum(tf.mul(nets.qValues(net, b.obs, null), onehot), 1) as tf.Tensor1D, kept);
    const stats = this.stats(kept, alpha, actorGnorm);
    tf.dispose([y, probsConst, logProbsConst, q1Const, alpha, onehot, ...kept]);
    return { stats, tdErrors: td };
  }

  private alphaStep(loss: () => tf.Scalar, kept: tf.Tensor[]): void {
    this.alphaOptimizer.step(() => {
      const value = loss();
      kept.push(tf.keep(tf.clone(value)));
      return value;
    });
  }

  /** The critics' step towards `y`; returns |TD| averaged over the critics per row (RLlib's `td_error`). */
  private criticStep(b: Batch, y: tf.Tensor1D, qTaken: (net: SacNetworks['q'][number]) => tf.Tensor1D, kept: tf.Tensor[]): Float32Array {
    let td: Float32Array = new Float32Array(b.rows);
    this.criticOptimizer.step(() => {
      const deltas = this.nets.q.map((net) => tf.sub(qTaken(net), y));
      const loss = tf.addN(deltas.map((d) => tf.mean(tf.mul(b.weights, huber(d))))) as tf.Scalar;
      const absMean = tf.div(tf.addN(deltas.map((d) => tf.abs(d))), deltas.length);
      td = new Float32Array(absMean.dataSync());
      const q = tf.add(deltas[0] as tf.Tensor, y);
      kept.push(...[tf.clone(loss), tf.mean(q), tf.max(q), tf.min(q)].map((t) => tf.keep(t)));
      return loss;
    });
    return td;
  }

  private stats(kept: tf.Tensor[], alpha: tf.Scalar, actorGnorm: number): LearnerStats {
    const [actorLoss, alphaLoss, criticLoss, meanQ, maxQ, minQ] = kept.map((t) => t.dataSync()[0] ?? Number.NaN);
    const alphaValue = alpha.dataSync()[0] ?? Number.NaN;
    return {
      actorLoss: actorLoss as number,
      criticLoss: criticLoss as number,
      alphaLoss: alphaLoss as number,
      alphaValue,
      logAlphaValue: Math.log(alphaValue),
      targetEntropy: this.targetEntropy,
      meanQ: meanQ as number,
      maxQ: maxQ as number,
      minQ: minQ as number,
      actorGradGnorm: actorGnorm,
    };
  }

  /** The three optimizers' state for a checkpoint. */
  async getOptimizerStates(): Promise<Record<string, OptimizerState>> {
    return {
      actor: await this.actorOptimizer.getState(),
      critic: await this.criticOptimizer.getState(),
      alpha: await this.alphaOptimizer.getState(),
    };
  }

  /** Restores the optimizers from a checkpoint. */
  async setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    if (states.actor !== undefined) await this.actorOptimizer.setState(states.actor);
    if (states.critic !== undefined) await this.criticOptimizer.setState(states.critic);
    if (states.alpha !== undefined) await this.alphaOptimizer.setState(states.alpha);
  }

  /** Frees the optimizers (the networks are the caller's). */
  dispose(): void {
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
    this.alphaOptimizer.dispose();
  }
}
