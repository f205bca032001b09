import type { LearnerStats, Rng, SampleBatch, TransitionColumns } from '@loomrl/core';
import type { ActorCriticSpec } from '@loomrl/core/internal';
import { ClippedAdam, createTfDistribution, type OptimizerState, TfActorCritic, type TfDistribution, tf } from '@loomrl/core/tf';
import { explainedVariance } from '../explainedVariance.js';
import type { MARWILTrainingSettings } from './config.js';

/** The MARWIL settings the learner reads. */
export type MARWILLearnerSettings = Pick<
  MARWILTrainingSettings,
  | 'lr'
  | 'gradClip'
  | 'beta'
  | 'bcLogstdCoeff'
  | 'movingAverageSqdAdvNormStart'
  | 'movingAverageSqdAdvNormUpdateRate'
  | 'vfCoeff'
  | 'trainBatchSize'
>;

/** Transitions widened by the discounted returns (RLlib stores them in the `advantages` column). */
export interface MARWILTrainColumns extends TransitionColumns {
  readonly advantages: Float32Array;
}

/**
 * MARWIL's learner: the loss and the update (RLlib's MARWIL loss, old API stack).
 *
 * A     = R − V(s)                            R = discounted return (the `advantages` column)
 * c²   ← c² + rate · (mean A² − c²)            first, every update (RLlib's moving average)
 * w     = exp(β · A / (1e-8 + c))              no gradient; w = 1 when β = 0 (BC)
 * loss  = −mean(w · (log π(a|s) + bcLogstdCoeff · mean log σ)) + vfCoeff · ½ mean A²   (value term only when β ≠ 0)
 *
 * One Adam step per `trainBatchSize` rows (RLlib's minibatch = train batch), global-norm clipping at `gradClip`.
 */
export class MARWILLearner {
  readonly model: TfActorCritic;
  private readonly distribution: TfDistribution;
  private readonly optimizer: ClippedAdam;
  private readonly settings: MARWILLearnerSettings;
  /** c² of RLlib's `moving_average_sqd_adv_norm`. */
  movingAverageSqdAdvNorm: number;

  /** A learner for `spec` starting from `weights`. */
  constructor(spec: ActorCriticSpec, weights: Float32Array, settings: MARWILLearnerSettings) {
    this.model = new TfActorCritic(spec, weights);
    this.distribution = createTfDistribution(spec.dist);
    this.optimizer = new ClippedAdam(this.model.variables, settings.lr, settings.gradClip);
    this.settings = settings;
    this.movingAverageSqdAdvNorm = settings.movingAverageSqdAdvNormStart;
  }

  /** V(s) of `rows` flat observations. */
  values(obs: Float32Array, rows: number): Float32Array {
    if (rows === 0) return new Float32Array(0);
    return tf.tidy(() => new Float32Array(this.model.forward(tf.tensor2d(obs, [rows, obs.length / rows])).values.dataSync()));
  }

  /**
   * RLlib's MARWIL postprocessing with the current value function: per episode fragment (a run of
   * one `epsId`), R_t = r_t + γ R_{t+1}, bootstrapped from V(nextObs) of the fragment's last row
   * unless it terminated.
   */
  withReturns(batch: SampleBatch<TransitionColumns>, gamma: number): SampleBatch<MARWILTrainColumns> {
    const { rewards, terminateds, epsId, nextObs } = batch.columns;
    const n = batch.count;
    const dim = batch.widths.obs;
    const ends: number[] = [];
    for (let i = 0; i < n; i++) if ((i === n - 1 || epsId[i + 1] !== epsId[i]) && terminateds[i] === 0) ends.push(i);
    const endObs = new Float32Array(ends.length * dim);
    ends.forEach((row, k) => {
      endObs.set(nextObs.subarray(row * dim, (row + 1) * dim), k * dim);
    });
    const endValues = this.values(endObs, ends.length);
    const bootstrap = new Map(ends.map((row, k) => [row, endValues[k] as number]));
    const returns = new Float32Array(n);
    let next = 0;
    for (let i = n - 1; i >= 0; i--) {
      if (i === n - 1 || epsId[i + 1] !== epsId[i]) next = bootstrap.get(i) ?? 0;
      next = (rewards[i] as number) + gamma * next;
      returns[i] = next;
    }
    return batch.withColumns({ advantages: 1 }, { advantages: returns });
  }

  /** One pass of Adam steps of `trainBatchSize` rows (at least one) over `batch` in an order drawn from `rng`. */
  update(batch: SampleBatch<TransitionColumns & { readonly advantages?: Float32Array }>, lr: number, rng: Rng): LearnerStats {
    const s = this.settings;
    const n = batch.count;
    this.optimizer.learningRate = lr;
    const size = Math.min(n, s.trainBatchSize);
    const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    const totals: Record<string, number> = {};
    let steps = 0;
    for (let start = 0; start + size <= n; start += size) {
      const mb = batch.gather(order.subarray(start, start + size));
      const stats = this.step(mb);
      for (const [key, value] of Object.entries(stats)) totals[key] = (totals[key] ?? 0) + value;
      steps += 1;
    }
    const stats: Record<string, number> = {};
    for (const [key, value] of Object.entries(totals)) stats[key] = value / steps;
    return { ...stats, movingAverageSqdAdvNorm: this.movingAverageSqdAdvNorm, curLr: lr, numSgdSteps: steps };
  }

  private step(mb: SampleBatch<TransitionColumns & { readonly advantages?: Float32Array }>): Record<string, number> {
    const s = this.settings;
    const rows = mb.count;
    const c = mb.columns;
    const obs = tf.tensor2d(c.obs, [rows, mb.widths.obs]);
    const actions = tf.tensor2d(c.actions, [rows, mb.widths.actions]);
    const stats: Record<string, number> = {};
    let weights: tf.Tensor1D | null = null;
    let returns: tf.Tensor1D | null = null;
    if (s.beta !== 0) {
      const R = c.advantages as Float32Array;
      const V = this.values(c.obs, rows);
      let meanSq = 0;
      for (let i = 0; i < rows; i++) meanSq += ((R[i] as number) - (V[i] as number)) ** 2;
      meanSq /= rows;
      this.movingAverageSqdAdvNorm += s.movingAverageSqdAdvNormUpdateRate * (meanSq - this.movingAverageSqdAdvNorm);
      const scale = s.beta / (1e-8 + Math.sqrt(this.movingAverageSqdAdvNorm));
      weights = tf.tensor1d(Float32Array.from(R, (r, i) => Math.exp(scale * (r - (V[i] as number)))));
      returns = tf.tensor1d(R);
      stats.vfExplainedVar = explainedVariance(R, V);
    }
    const kept: tf.Scalar[] = [];
    const gradGnorm = this.optimizer.step(() => {
      const { distInputs, values } = this.model.forward(obs);
      let logp: tf.Tensor1D = this.distribution.logp(distInputs, actions);
      if (s.bcLogstdCoeff > 0) {
        const [, logStd] = tf.split(distInputs, 2, 1);
        logp = tf.add(logp, tf.mul(s.bcLogstdCoeff, tf.mean(logStd as tf.Tensor2D, 1))) as tf.Tensor1D;
      }
      const policyLoss = tf.neg(tf.mean(weights === null ? logp : tf.mul(weights, logp))) as tf.Scalar;
      // BC trains no value branch; a zero-weighted term gives its variables (zero) gradients.
      const vfLoss =
        returns === null
          ? (tf.mul(0, tf.sum(values)) as tf.Scalar)
          : (tf.mul(0.5, tf.mean(tf.square(tf.sub(returns, values)))) as tf.Scalar);
      const total = tf.add(policyLoss, tf.mul(s.vfCoeff, vfLoss)) as tf.Scalar;
      kept.push(...[tf.clone(total), policyLoss, vfLoss].map((t) => tf.keep(t as tf.Scalar)));
      return total;
    });
    const [total, policy, vf] = kept.map((t) => t.dataSync()[0] ?? Number.NaN) as [number, number, number];
    tf.dispose([...kept, obs, actions, ...(weights === null ? [] : [weights]), ...(returns === null ? [] : [returns])]);
    return { totalLoss: total, policyLoss: policy, ...(s.beta !== 0 ? { vfLoss: vf } : {}), ...stats, gradGnorm };
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
    this.model.dispose();
  }
}
