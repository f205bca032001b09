import type { SampleBatch } from '@loomrl/core';
import { type DenseLayer, type MlpLayout, type OptimizerState, WolpertingerInference, type WolpertingerSpec } from '@loomrl/core/internal';
import { ClippedAdam, TfWeights, tf } from '@loomrl/core/tf';
import {
  type WolpertingerLearner,
  type WolpertingerLearnerSettings,
  type WolpertingerTrainColumns,
  type WolpertingerUpdateStats,
  type WolpertingerWeights,
  wolpertingerStates,
  wolpertingerTdTargets,
} from './learner.js';

/** An actor-critic's variables: actor and critic weights and the item embedding table. */
class Networks {
  readonly actor: TfWeights;
  readonly critic: TfWeights;
  readonly embeddings: tf.Variable;

  constructor(spec: WolpertingerSpec, layouts: { actor: MlpLayout; critic: MlpLayout }, weights: WolpertingerWeights, trainable: boolean) {
    this.actor = new TfWeights(layouts.actor, weights.actor, trainable);
    this.critic = new TfWeights(layouts.critic, weights.critic, trainable);
    this.embeddings = tf.variable(tf.tensor2d(weights.embeddings, [spec.numItems, spec.embeddingDim]), trainable);
  }

  get() {
    return { actor: this.actor.getWeights(), critic: this.critic.getWeights(), embeddings: new Float32Array(this.embeddings.dataSync()) };
  }

  set(weights: WolpertingerWeights): void {
    this.actor.setWeights(weights.actor);
    this.critic.setWeights(weights.critic);
    tf.tidy(() => this.embeddings.assign(tf.tensor2d(weights.embeddings, this.embeddings.shape as [number, number])));
  }

  /** Soft update toward `other`: θ ← τ·other + (1 − τ)·θ. */
  softUpdate(other: Networks, tau: number): void {
    this.actor.assignFrom(other.actor, tau);
    this.critic.assignFrom(other.critic, tau);
    tf.tidy(() => this.embeddings.assign(tf.add(tf.mul(other.embeddings, tau), tf.mul(this.embeddings, 1 - tau))));
  }

  dispose(): void {
    this.actor.dispose();
    this.critic.dispose();
    this.embeddings.dispose();
  }
}

function mlp(weights: TfWeights, layers: readonly DenseLayer[], x: tf.Tensor2D): tf.Tensor2D {
  let out = x;
  layers.forEach((layer, i) => {
    out = tf.add(tf.matMul(out, weights.get<tf.Rank.R2>(layer.kernel.name)), weights.get<tf.Rank.R1>(layer.bias.name));
    if (i < layers.length - 1) out = tf.relu(out);
  });
  return out;
}

/** Rows scaled to unit L2 norm (differentiable; a small ε keeps zero rows finite). */
function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12)));
}

/** Wolpertinger's updates (see `WolpertingerLearner`) in TensorFlow.js ops on the active backend. */
export class TfWolpertingerEngine implements WolpertingerLearner {
  readonly spec: WolpertingerSpec;
  readonly online: Networks;
  readonly target: Networks;
  private readonly layouts: { actor: MlpLayout; critic: MlpLayout };
  private readonly criticOptimizer: ClippedAdam;
  private readonly actorOptimizer: ClippedAdam;
  private readonly settings: WolpertingerLearnerSettings;
  private readonly targetPolicy: WolpertingerInference;

  /** A learner whose online and target networks start from `weights`. */
  constructor(spec: WolpertingerSpec, weights: WolpertingerWeights, settings: WolpertingerLearnerSettings) {
    this.spec = spec;
    this.targetPolicy = new WolpertingerInference(spec);
    this.layouts = { actor: this.targetPolicy.actorLayout, critic: this.targetPolicy.criticLayout };
    this.online = new Networks(spec, this.layouts, weights, true);
    this.target = new Networks(spec, this.layouts, weights, false);
    this.targetPolicy.setWeights(weights.actor, weights.critic, weights.embeddings);
    this.criticOptimizer = new ClippedAdam([...this.online.critic.variables, this.online.embeddings], settings.criticLr, settings.gradClip);
    this.actorOptimizer = new ClippedAdam(this.online.actor.variables, settings.actorLr, settings.gradClip);
    this.settings = settings;
  }

  tdTargets(batch: SampleBatch<WolpertingerTrainColumns>): Float32Array {
    return wolpertingerTdTargets(this.targetPolicy, this.settings, batch);
  }

  /** One critic step and one actor step on a replayed batch. */
  update(batch: SampleBatch<WolpertingerTrainColumns>): WolpertingerUpdateStats {
    const rows = batch.count;
    const targets = this.tdTargets(batch);
    const states = wolpertingerStates(this.spec, batch.columns.obs, rows);
    const actions = Int32Array.from(batch.columns.actions);
    const { critic: criticLayout, actor: actorLayout } = this.layouts;
    let criticLoss = Number.NaN;
    let actorLoss = Number.NaN;
    let meanQ = Number.NaN;
    tf.tidy(() => {
      const s = tf.tensor2d(states, [rows, this.spec.stateDim]);
      const y = tf.tensor1d(targets);
      const chosen = tf.oneHot(tf.tensor1d(actions, 'int32'), this.spec.numItems).toFloat() as tf.Tensor2D;
      this.criticOptimizer.step(() => {
        const item = l2Normalize(tf.matMul(chosen, this.online.embeddings as tf.Tensor2D));
        const q = tf.reshape(mlp(this.online.critic, criticLayout.layers, tf.concat([s, item], 1)), [rows]);
        const loss = tf.mean(tf.square(tf.sub(q, y))) as tf.Scalar;
        criticLoss = loss.dataSync()[0] ?? Number.NaN;
        meanQ = tf.mean(q).dataSync()[0] ?? Number.NaN;
        return loss;
      });
      this.actorOptimizer.step(() => {
        const proto = l2Normalize(mlp(this.online.actor, actorLayout.layers, s));
        const q = mlp(this.online.critic, criticLayout.layers, tf.concat([s, proto], 1));
        const loss = tf.neg(tf.mean(q)) as tf.Scalar;
        actorLoss = loss.dataSync()[0] ?? Number.NaN;
        return loss;
      });
    });
    return { criticLoss, actorLoss, meanQ, meanTarget: targets.reduce((a, b) => a + b, 0) / rows, curLr: this.settings.criticLr };
  }

  /** Soft-updates the target networks (and the plain-JS target policy the targets come from). */
  updateTargets(tau: number): void {
    this.target.softUpdate(this.online, tau);
    const w = this.target.get();
    this.targetPolicy.setWeights(w.actor, w.critic, w.embeddings);
  }

  /** Sets the target networks to `weights`. */
  setTargets(weights: WolpertingerWeights): void {
    this.target.set(weights);
    this.targetPolicy.setWeights(weights.actor, weights.critic, weights.embeddings);
  }

  /** Optimizer states for a checkpoint. */
  async getOptimizerStates(): Promise<Record<string, OptimizerState>> {
    return { critic: await this.criticOptimizer.getState(), actor: await this.actorOptimizer.getState() };
  }

  /** Restores optimizer states. */
  async setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    if (states.critic !== undefined) await this.criticOptimizer.setState(states.critic);
    if (states.actor !== undefined) await this.actorOptimizer.setState(states.actor);
  }

  /** Frees every tensor. */
  dispose(): void {
    this.criticOptimizer.dispose();
    this.actorOptimizer.dispose();
    this.online.dispose();
    this.target.dispose();
  }
}
