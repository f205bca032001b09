import type { LearnerStats, Rng, SampleBatch, TransitionColumns } from '@loomrl/core';
import { ClippedAdam, type OptimizerState, tf } from '@loomrl/core/tf';
import { normalNoise, type SacNetworks } from '../sac/networks.js';
import type { CQLTrainingSettings } from './config.js';
import type { CQLEngine } from './engine.js';
import { conservativePenalty } from './penalty.js';

/** The CQL settings the learner reads. */
export type CQLLearnerSettings = Pick<
  CQLTrainingSettings,
  'optimization' | 'gradClip' | 'bcIters' | 'temperature' | 'numActions' | 'lagrangian' | 'lagrangianThresh' | 'minQWeight' | 'gamma'
>;

/**
 * CQL's learner (RLlib's CQL torch loss, old API stack): sequential steps, each on the weights the
 * previous one left.
 *
 * 1. L_α  = −mean(log α · (log π(ã|s) + H̄))                                   α step
 * 2. L_π  = mean(α log π(ã|s) − min_i Q_i(s, ã))    (after `bcIters` gradient steps;
 *           before: mean(α log π(ã|s) − log π(a_data|s)), behaviour cloning)    actor step
 * 3. y    = r + γ (1 − terminated) min_i Q_i,target(s′, ã′)   (no entropy term)
 * 4. P_i  = minQWeight · (T · mean_s logsumexp_j(X_ij / T) − mean Q_i(s, a_data)),
 *           X = [Q_i(s, a_rand) − log 0.5ᵈ, Q_i(s, a′) − log π(a′|s′), Q_i(s, a) − log π(a|s)]
 *           over `numActions` uniform actions in [-1, 1]ᵈ and samples of π at s′ and s
 * 5. Lagrangian (optional): P_i ← α′ (P_i − thresh), L_α′ = −mean_i P_i
 * 6. L_Q  = Σ_i (mean (Q_i(s, a) − y)² + P_i)                                    critic (and α′) steps
 *
 * Differences from RLlib: random actions are drawn in the policy's [-1, 1] (RLlib uses the env's
 * bounds while the data is normalised), and every batch trains (RLlib skips batches whose size is
 * not exactly trainBatchSize).
 */
export class CQLLearner implements CQLEngine {
  private readonly actorOptimizer: ClippedAdam;
  private readonly criticOptimizer: ClippedAdam;
  private readonly alphaOptimizer: ClippedAdam;
  private readonly alphaPrimeOptimizer: ClippedAdam | null;
  readonly logAlphaPrime: tf.Variable | null;
  /** Gradient steps so far (RLlib's `cur_iter`). */
  curIter = 0;

  /** A learner over `nets`; H̄ = `targetEntropy`; noise and random actions come from `rng`. */
  constructor(
    readonly nets: SacNetworks,
    private readonly settings: CQLLearnerSettings,
    readonly targetEntropy: number,
    private readonly rng: Rng,
  ) {
    const o = settings.optimization;
    this.actorOptimizer = new ClippedAdam(nets.actor.weights.variables, o.actorLearningRate, settings.gradClip, 1e-7);
    this.criticOptimizer = new ClippedAdam(nets.criticVariables, o.criticLearningRate, settings.gradClip, 1e-7);
    this.alphaOptimizer = new ClippedAdam([nets.logAlpha], o.entropyLearningRate, settings.gradClip, 1e-7);
    this.logAlphaPrime = settings.lagrangian ? tf.variable(tf.scalar(0), true) : null;
    this.alphaPrimeOptimizer =
      this.logAlphaPrime === null ? null : new ClippedAdam([this.logAlphaPrime], o.criticLearningRate, settings.gradClip, 1e-7);
  }

  private noise(rows: number): tf.Tensor2D {
    const d = this.nets.spec.actor.actionSize;
    return tf.tensor2d(normalNoise(this.rng, rows, d), [rows, d]);
  }

  /** One CQL update on `batch`. */
  update(batch: SampleBatch<TransitionColumns>): LearnerStats {
    const s = this.settings;
    const nets = this.nets;
    const c = batch.columns;
    const B = batch.count;
    const d = nets.spec.actor.actionSize;
    const N = s.numActions;
    const obs = tf.tensor2d(c.obs, [B, batch.widths.obs]);
    const nextObs = tf.tensor2d(c.nextObs, [B, batch.widths.obs]);
    const actions = tf.tensor2d(c.actions, [B, d]);
    const stats: Record<string, number> = {};
    const read = (t: tf.Tensor) => t.dataSync()[0] ?? Number.NaN;
    // (1) α, from a reparameterised sample at s.
    const eps = this.noise(B);
    const logpConst = tf.tidy(() => nets.actor.sample(nets.actor.forward(obs), eps).logp);
    this.alphaOptimizer.step(() => {
      const loss = tf.neg(tf.mean(tf.mul(nets.logAlpha, tf.add(logpConst, this.targetEntropy)))) as tf.Scalar;
      stats.alphaLoss = read(loss);
      return loss;
    });
    // (2) the actor, with α after its step; behaviour cloning for the first bcIters gradient steps.
    const alpha = tf.tidy(() => tf.exp(nets.logAlpha));
    const cloning = this.curIter < s.bcIters;
    this.actorOptimizer.step(() => {
      const inputs = nets.actor.forward(obs);
      const drawn = nets.actor.sample(inputs, eps);
      const other = cloning ? nets.actor.logp(inputs, actions) : nets.minQ(nets.q, obs, drawn.actions);
      const loss = tf.mean(tf.sub(tf.mul(alpha, drawn.logp), other)) as tf.Scalar;
      stats.actorLoss = read(loss);
      return loss;
    });
    // (3)–(4) targets and the penalty's actions, from the updated actor.
    const tiled = (x: tf.Tensor2D) => tf.tile(x, [N, 1]) as tf.Tensor2D;
    const [y, obsN, aRand, aCur, logpCur, aNext, logpNext] = tf.tidy(() => {
      // The actor's outputs per state are tiled rather than recomputed on tiled states (same numbers, 1/N of the work).
      const inputsNext = nets.actor.forward(nextObs);
      const next = nets.actor.sample(inputsNext, this.noise(B));
      const target = tf.add(
        tf.tensor1d(c.rewards),
        tf.mul(
          s.gamma,
          tf.mul(tf.tensor1d(Float32Array.from(c.terminateds, (t) => 1 - t)), nets.minQ(nets.qTarget, nextObs, next.actions)),
        ),
      );
      const oN = tiled(obs);
      const rand = tf.tensor2d(
        Float32Array.from({ length: B * N * d }, () => this.rng.uniform(-1, 1)),
        [B * N, d],
      );
      const cur = nets.actor.sample(tiled(nets.actor.forward(obs)), this.noise(B * N));
      const nxt = nets.actor.sample(tiled(inputsNext), this.noise(B * N));
      return [target, oN, rand, cur.actions, cur.logp, nxt.actions, nxt.logp].map((t) => tf.keep(t));
    }) as [tf.Tensor1D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
    const penaltySettings = { numActions: N, actionDim: d, temperature: s.temperature, minQWeight: s.minQWeight };
    /** P_i before the Lagrangian weight, for α′'s step. */
    const rawPenalties: number[] = [];
    this.criticOptimizer.step(() => {
      const terms = nets.q.map((net) => {
        const qData = nets.qValues(net, obs, actions) as tf.Tensor1D;
        const sacLoss = tf.mean(tf.square(tf.sub(qData, y)));
        const qAt = (a: tf.Tensor2D) => nets.qValues(net, obsN, a) as tf.Tensor1D;
        const inputs = { qRandom: qAt(aRand), qNext: qAt(aNext), logpNext, qCurrent: qAt(aCur), logpCurrent: logpCur, qData };
        let penalty = conservativePenalty(inputs, penaltySettings);
        rawPenalties.push(read(penalty));
        if (this.logAlphaPrime !== null) {
          const alphaPrime = tf.clipByValue(tf.exp(this.logAlphaPrime), 0, 1e6);
          penalty = tf.mul(alphaPrime, tf.sub(penalty, s.lagrangianThresh)) as tf.Scalar;
        }
        return { sacLoss, penalty, qData };
      });
      const loss = tf.addN(terms.map((t) => tf.add(t.sacLoss, t.penalty))) as tf.Scalar;
      stats.criticLoss = read(tf.addN(terms.map((t) => t.sacLoss)));
      stats.cqlLoss = read(tf.addN(terms.map((t) => t.penalty)));
      const q0 = terms[0]?.qData as tf.Tensor1D;
      stats.meanQ = read(tf.mean(q0));
      stats.maxQ = read(tf.max(q0));
      stats.minQ = read(tf.min(q0));
      return loss;
    });
    if (this.alphaPrimeOptimizer !== null && this.logAlphaPrime !== null) {
      const alphaPrimeVar = this.logAlphaPrime;
      const meanGap = rawPenalties.reduce((a, b) => a + b - s.lagrangianThresh, 0) / rawPenalties.length;
      this.alphaPrimeOptimizer.step(() => {
        // −mean_i α′ (P_i − thresh), with P_i held fixed.
        const loss = tf.neg(tf.mul(tf.clipByValue(tf.exp(alphaPrimeVar), 0, 1e6), meanGap)) as tf.Scalar;
        stats.alphaPrimeLoss = read(loss);
        return loss;
      });
      stats.alphaPrimeValue = read(tf.tidy(() => tf.exp(alphaPrimeVar)));
    }
    stats.alphaValue = read(alpha);
    stats.logAlphaValue = Math.log(stats.alphaValue);
    stats.targetEntropy = this.targetEntropy;
    stats.bcPhase = cloning ? 1 : 0;
    this.curIter += 1;
    tf.dispose([obs, nextObs, actions, eps, logpConst, alpha, y, obsN, aRand, aCur, logpCur, aNext, logpNext]);
    return stats;
  }

  /** The optimizers' state for a checkpoint. */
  async getOptimizerStates(): Promise<Record<string, OptimizerState>> {
    const out: Record<string, OptimizerState> = {
      actor: await this.actorOptimizer.getState(),
      critic: await this.criticOptimizer.getState(),
      alpha: await this.alphaOptimizer.getState(),
    };
    if (this.alphaPrimeOptimizer !== null) out.alphaPrime = await this.alphaPrimeOptimizer.getState();
    return out;
  }

  /** Restores the optimizers. */
  async setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    if (states.actor !== undefined) await this.actorOptimizer.setState(states.actor);
    if (states.critic !== undefined) await this.criticOptimizer.setState(states.critic);
    if (states.alpha !== undefined) await this.alphaOptimizer.setState(states.alpha);
    if (states.alphaPrime !== undefined) await this.alphaPrimeOptimizer?.setState(states.alphaPrime);
  }

  /** log α′ (null without the Lagrangian). */
  getLogAlphaPrime(): number | null {
    return this.logAlphaPrime?.dataSync()[0] ?? null;
  }

  /** Sets log α′ (ignored without the Lagrangian). */
  setLogAlphaPrime(value: number): void {
    tf.tidy(() => this.logAlphaPrime?.assign(tf.scalar(value)));
  }

  /** Frees the optimizers and α′ (the networks are the caller's). */
  dispose(): void {
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
    this.alphaOptimizer.dispose();
    this.alphaPrimeOptimizer?.dispose();
    this.logAlphaPrime?.dispose();
  }
}
