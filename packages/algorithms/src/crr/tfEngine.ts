import type { LearnerStats, Rng, SampleBatch, TransitionColumns } from '@loomrl/core';
import type { ActorSpec } from '@loomrl/core/internal';
import { ClippedAdam, type OptimizerState, TfActor, TfMlp, tf } from '@loomrl/core/tf';
import { huber, normalNoise } from '../sac/networks.js';
import { type CRREngine, type CRREngineInit, type CRRLearnerSettings, type CRRWeights, checkCrrEngineInit } from './learner.js';

/**
 * CRR's losses and update (see `CRRLearner`) in TensorFlow.js on its active backend (tfjs-node's
 * `'tensorflow'`, `'wasm'`, `'cpu'`): the networks as `TfActor`/`TfMlp` variables, the losses as
 * tfjs ops, one `ClippedAdam` for the actor and one for both critics.
 */
export class TfCRREngine implements CRREngine {
  readonly actor: TfActor;
  readonly actorTarget: TfActor;
  readonly q: TfMlp[];
  readonly qTarget: TfMlp[];
  private readonly actorOptimizer: ClippedAdam;
  private readonly criticOptimizer: ClippedAdam;
  private readonly discrete: boolean;
  private readonly settings: CRRLearnerSettings;
  private readonly rng: Rng;
  readonly spec: ActorSpec;

  /** Networks and optimizers from `init`, the targets copies of the online networks. */
  constructor(init: CRREngineInit) {
    checkCrrEngineInit(init);
    const { spec, critic, weights, settings } = init;
    this.spec = spec;
    this.settings = settings;
    this.rng = init.rng;
    this.discrete = spec.distribution === 'categorical';
    this.actor = new TfActor(spec, weights.policy);
    this.actorTarget = new TfActor(spec, weights.policy, false);
    this.q = weights.q.map((w) => new TfMlp(critic, settings.criticHiddenActivation, w));
    this.qTarget = weights.q.map((w) => new TfMlp(critic, settings.criticHiddenActivation, w, false));
    this.actorOptimizer = new ClippedAdam(this.actor.weights.variables, settings.actorLr, settings.gradClip, 1e-8);
    this.criticOptimizer = new ClippedAdam(
      this.q.flatMap((net) => net.weights.variables),
      settings.criticLr,
      settings.gradClip,
      1e-8,
    );
  }

  get criticCount(): number {
    return this.q.length;
  }

  getActorWeights(): Float32Array {
    return this.actor.weights.getWeights();
  }

  setActorWeights(weights: Float32Array): void {
    this.actor.weights.setWeights(weights);
  }

  /** Q̃ over `nets`: continuous `[rows]` at `actions`; discrete `[rows, n]`. */
  private minQ(nets: readonly TfMlp[], obs: tf.Tensor2D, actions: tf.Tensor2D | null): tf.Tensor {
    const values = nets.map((net) => this.qOf(net, obs, actions));
    return values.length === 1 ? (values[0] as tf.Tensor) : tf.minimum(values[0] as tf.Tensor, values[1] as tf.Tensor);
  }

  private qOf(net: TfMlp, obs: tf.Tensor2D, actions: tf.Tensor2D | null): tf.Tensor {
    return this.discrete ? net.forward(obs) : tf.reshape(net.forward(tf.concat([obs, actions as tf.Tensor2D], 1)), [-1]);
  }

  /** Discrete Q̃ at the given action indices `[rows]`. */
  private taken(q: tf.Tensor, actions: tf.Tensor2D): tf.Tensor1D {
    return tf.sum(tf.mul(q, tf.oneHot(tf.cast(tf.reshape(actions, [-1]), 'int32'), this.spec.actionSize)), 1) as tf.Tensor1D;
  }

  /** Draws an action per row from `actor` (seeded): categorical indices `[rows, 1]`, or Gaussian samples clamped to [-1, 1]. */
  private sampleActions(inputs: tf.Tensor2D, actor: TfActor, rows: number): tf.Tensor2D {
    if (!this.discrete) {
      const eps = tf.tensor2d(normalNoise(this.rng, rows, this.spec.actionSize), [rows, this.spec.actionSize]);
      return tf.clipByValue(actor.sample(inputs, eps).actions, -1, 1);
    }
    const probs = tf.exp(actor.logProbs(inputs)).dataSync();
    const n = this.spec.actionSize;
    const picks = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let u = this.rng.random();
      let a = 0;
      for (; a < n - 1; a++) {
        u -= probs[r * n + a] as number;
        if (u < 0) break;
      }
      picks[r] = a;
    }
    return tf.tensor2d(picks, [rows, 1]);
  }

  /** The advantage weights `[rows]` and stats, from the current actor and critics (no gradient). */
  private weights(obs: tf.Tensor2D, actions: tf.Tensor2D, rows: number): { w: tf.Tensor1D; stats: Record<string, number> } {
    const s = this.settings;
    return tf.tidy(() => {
      const inputs = this.actor.forward(obs);
      const qAll = this.discrete ? this.minQ(this.q, obs, null) : null;
      const q = qAll === null ? (this.minQ(this.q, obs, actions) as tf.Tensor1D) : this.taken(qAll, actions);
      let v: tf.Tensor1D;
      if (s.advantageType === 'expectation') {
        v = tf.sum(tf.mul(tf.exp(this.actor.logProbs(inputs)), qAll as tf.Tensor), 1) as tf.Tensor1D;
      } else {
        const samples = Array.from({ length: s.nActionSample }, () => {
          const a = this.sampleActions(inputs, this.actor, rows);
          return qAll === null ? (this.minQ(this.q, obs, a) as tf.Tensor1D) : this.taken(qAll, a);
        });
        const stacked = tf.stack(samples);
        v = (s.advantageType === 'max' ? tf.max(stacked, 0) : tf.mean(stacked, 0)) as tf.Tensor1D;
      }
      const advantage = tf.sub(q, v);
      const w = (
        s.weightType === 'bin'
          ? tf.cast(tf.greater(advantage, 0), 'float32')
          : tf.clipByValue(tf.exp(tf.div(advantage, s.temperature)), 0, s.maxWeight)
      ) as tf.Tensor1D;
      const read = (t: tf.Tensor) => t.dataSync()[0] ?? Number.NaN;
      const stats = {
        qBatchAvg: read(tf.mean(q)),
        vBatchAvg: read(tf.mean(v)),
        advBatchAvg: read(tf.mean(advantage)),
        advBatchMax: read(tf.max(advantage)),
        advBatchMin: read(tf.min(advantage)),
        weightsAvg: read(tf.mean(w)),
        weightsMax: read(tf.max(w)),
        weightsMin: read(tf.min(w)),
      };
      return { w: tf.keep(w), stats };
    });
  }

  /** One actor step and one critic step on `batch`. */
  update(batch: SampleBatch<TransitionColumns>): LearnerStats {
    const s = this.settings;
    const c = batch.columns;
    const rows = batch.count;
    const obs = tf.tensor2d(c.obs, [rows, batch.widths.obs]);
    const nextObs = tf.tensor2d(c.nextObs, [rows, batch.widths.obs]);
    const actions = tf.tensor2d(c.actions, [rows, batch.widths.actions]);
    const { w, stats } = this.weights(obs, actions, rows);
    const y = tf.tidy(() => {
      const next = this.sampleActions(this.actorTarget.forward(nextObs), this.actorTarget, rows);
      const qNext = this.discrete
        ? this.taken(this.minQ(this.qTarget, nextObs, null), next)
        : (this.minQ(this.qTarget, nextObs, next) as tf.Tensor1D);
      const notDone = tf.tensor1d(Float32Array.from(c.terminateds, (t) => 1 - t));
      return tf.add(tf.tensor1d(c.rewards), tf.mul(s.gamma, tf.mul(notDone, qNext))) as tf.Tensor1D;
    });
    let actorLoss = Number.NaN;
    let criticLoss = Number.NaN;
    const tdErrors: number[] = [];
    this.actorOptimizer.step(() => {
      const loss = tf.neg(tf.mean(tf.mul(w, this.actor.logp(this.actor.forward(obs), actions)))) as tf.Scalar;
      actorLoss = loss.dataSync()[0] ?? Number.NaN;
      return loss;
    });
    this.criticOptimizer.step(() => {
      const deltas = this.q.map((net) => {
        const q = this.qOf(net, obs, this.discrete ? null : actions);
        return tf.sub(this.discrete ? this.taken(q, actions) : q, y);
      });
      const loss = (
        s.tdErrorLossFn === 'mse'
          ? tf.mul(0.5, tf.addN(deltas.map((d) => tf.sum(tf.square(d)))))
          : tf.div(tf.addN(deltas.map((d) => tf.sum(huber(d)))), rows * deltas.length)
      ) as tf.Scalar;
      criticLoss = loss.dataSync()[0] ?? Number.NaN;
      for (const d of deltas) tdErrors.push(tf.mean(tf.square(d)).dataSync()[0] ?? Number.NaN);
      return loss;
    });
    const targets = y.dataSync() as Float32Array;
    tf.dispose([obs, nextObs, actions, w, y]);
    return {
      lossActor: actorLoss,
      lossCritic: criticLoss,
      ...stats,
      rewardBatchAvg: c.rewards.reduce((a, b) => a + b, 0) / rows,
      tdErrorQ1: tdErrors[0] ?? Number.NaN,
      ...(tdErrors.length > 1 ? { tdErrorQ2: tdErrors[1] as number } : {}),
      tdError: criticLoss,
      targetsAvg: (targets as Float32Array).reduce((a: number, b: number) => a + b, 0) / rows,
    };
  }

  /** target ← τ·online + (1 − τ)·target for the actor and every critic. */
  updateTargets(tau: number): void {
    this.actorTarget.weights.assignFrom(this.actor.weights, tau);
    this.qTarget.forEach((target, i) => {
      target.weights.assignFrom((this.q[i] as TfMlp).weights, tau);
    });
  }

  /** Every weight set as flat arrays. */
  getWeights(): CRRWeights {
    return {
      policy: this.actor.weights.getWeights(),
      q: this.q.map((net) => net.weights.getWeights()),
      policyTarget: this.actorTarget.weights.getWeights(),
      qTarget: this.qTarget.map((net) => net.weights.getWeights()),
    };
  }

  /** Restores every weight set. */
  setWeights(weights: CRRWeights): void {
    this.actor.weights.setWeights(weights.policy);
    this.actorTarget.weights.setWeights(weights.policyTarget);
    weights.q.forEach((w, i) => {
      this.q[i]?.weights.setWeights(w);
    });
    weights.qTarget.forEach((w, i) => {
      this.qTarget[i]?.weights.setWeights(w);
    });
  }

  /** Both optimizers' state for a checkpoint. */
  async getOptimizerStates(): Promise<Record<string, OptimizerState>> {
    return { actor: await this.actorOptimizer.getState(), critic: await this.criticOptimizer.getState() };
  }

  /** Restores the optimizers. */
  async setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    if (states.actor !== undefined) await this.actorOptimizer.setState(states.actor);
    if (states.critic !== undefined) await this.criticOptimizer.setState(states.critic);
  }

  /** Frees every tensor. */
  dispose(): void {
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
    for (const net of [this.actor, this.actorTarget, ...this.q, ...this.qTarget]) net.dispose();
  }
}
