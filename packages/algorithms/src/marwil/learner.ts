import type { LearnerStats, Rng, SampleBatch, TransitionColumns } from '@loomrl/core';
import type { ActorCriticSpec, OptimizerState } from '@loomrl/core/internal';
import { explainedVariance } from '../explainedVariance.js';
import type { LearnerEngineName } from '../learnerEngine.js';
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

/** The columns of one train batch that MARWIL's loss reads, row-major. */
export interface MARWILTrainData {
  readonly rows: number;
  readonly obs: Float32Array;
  readonly obsDim: number;
  readonly actions: Float32Array;
  readonly actionDim: number;
  /** The discounted returns R; null for BC (β = 0: no advantages, no value term). */
  readonly returns: Float32Array | null;
}

/** The statistics of MARWIL's loss, in the order engines report them. */
export const MARWIL_STAT_NAMES = ['totalLoss', 'policyLoss', 'vfLoss', 'gradGnorm'] as const;

/**
 * Where MARWIL's Adam steps run: the loss, its gradients and Adam over the actor-critic's weights
 * (`KernelMARWILEngine`, WebAssembly kernels; `TfMARWILEngine`, TensorFlow.js). A step is a
 * `forward` (V(s) of the minibatch, from which the learner weighs the rows) then a `step`.
 */
export interface MARWILEngine {
  /** The learner's actor-critic weights as the flat layout array. */
  getWeights(): Float32Array;
  setWeights(weights: Float32Array): void;
  /** V(s) of `rows` flat observations. */
  values(obs: Float32Array, rows: number): Float32Array;
  /** Starts an update over `data` at learning rate `lr`. */
  begin(data: MARWILTrainData, lr: number): void;
  /** Selects rows `order[start…start+rows)` for the next `step`; returns their V(s) (empty for BC). The array is reused. */
  forward(order: Int32Array, start: number, rows: number): Float32Array;
  /**
   * One Adam step on the selected rows, row r's log-likelihood weighted by `weights[r]` (null: 1,
   * BC); returns the `MARWIL_STAT_NAMES` values of this step.
   */
  step(weights: Float32Array | null): number[];
  getOptimizerState(): Promise<OptimizerState>;
  setOptimizerState(state: OptimizerState): Promise<void>;
  dispose(): void;
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
 * The steps run on an engine: LoomRL's WebAssembly kernels (`'loomrl'`) or TensorFlow.js (`'tfjs'`).
 */
export class MARWILLearner {
  private readonly engine: MARWILEngine;
  private readonly settings: MARWILLearnerSettings;
  /** c² of RLlib's `moving_average_sqd_adv_norm`. */
  movingAverageSqdAdvNorm: number;

  /** A learner for `spec` starting from `weights` on `engine` (tfjs on its active backend). */
  static async create(
    spec: ActorCriticSpec,
    weights: Float32Array,
    settings: MARWILLearnerSettings,
    engine: LearnerEngineName,
  ): Promise<MARWILLearner> {
    if (engine === 'tfjs') {
      const { TfMARWILEngine } = await import('./tfEngine.js');
      return new MARWILLearner(new TfMARWILEngine(spec, weights, settings), settings);
    }
    const { KernelMARWILEngine } = await import('./kernelEngine.js');
    return new MARWILLearner(new KernelMARWILEngine(spec, weights, settings), settings);
  }

  /** A learner running on `engine`. */
  constructor(engine: MARWILEngine, settings: MARWILLearnerSettings) {
    this.engine = engine;
    this.settings = settings;
    this.movingAverageSqdAdvNorm = settings.movingAverageSqdAdvNormStart;
  }

  /** The policy weights as one flat array in layout order. */
  getWeights(): Float32Array {
    return this.engine.getWeights();
  }

  /** Sets the policy weights from a flat array in layout order. */
  setWeights(weights: Float32Array): void {
    this.engine.setWeights(weights);
  }

  /** V(s) of `rows` flat observations. */
  values(obs: Float32Array, rows: number): Float32Array {
    if (rows === 0) return new Float32Array(0);
    return this.engine.values(obs, rows);
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
    const c = batch.columns;
    const returns = s.beta === 0 ? null : (c.advantages as Float32Array);
    this.engine.begin({ rows: n, obs: c.obs, obsDim: batch.widths.obs, actions: c.actions, actionDim: batch.widths.actions, returns }, lr);
    const size = Math.min(n, s.trainBatchSize);
    const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    const totals: Record<string, number> = {};
    let steps = 0;
    for (let start = 0; start + size <= n; start += size) {
      const stats = this.step(order, start, size, returns);
      for (const [key, value] of Object.entries(stats)) totals[key] = (totals[key] ?? 0) + value;
      steps += 1;
    }
    const stats: Record<string, number> = {};
    for (const [key, value] of Object.entries(totals)) stats[key] = value / steps;
    return { ...stats, movingAverageSqdAdvNorm: this.movingAverageSqdAdvNorm, curLr: lr, numSgdSteps: steps };
  }

  /** One Adam step on rows `order[start…start+rows)`: MARWIL's advantage weights from V(s) of the current weights, then the engine's step. */
  private step(order: Int32Array, start: number, rows: number, allReturns: Float32Array | null): Record<string, number> {
    const s = this.settings;
    const V = this.engine.forward(order, start, rows);
    if (allReturns === null) {
      const [total, policy, , gradGnorm] = this.engine.step(null) as [number, number, number, number];
      return { totalLoss: total, policyLoss: policy, gradGnorm };
    }
    const R = Float32Array.from({ length: rows }, (_, r) => allReturns[order[start + r] as number] as number);
    let meanSq = 0;
    for (let i = 0; i < rows; i++) meanSq += ((R[i] as number) - (V[i] as number)) ** 2;
    meanSq /= rows;
    this.movingAverageSqdAdvNorm += s.movingAverageSqdAdvNormUpdateRate * (meanSq - this.movingAverageSqdAdvNorm);
    const scale = s.beta / (1e-8 + Math.sqrt(this.movingAverageSqdAdvNorm));
    const weights = Float32Array.from(R, (r, i) => Math.exp(scale * (r - (V[i] as number))));
    const vfExplainedVar = explainedVariance(R, V);
    const [total, policy, vf, gradGnorm] = this.engine.step(weights) as [number, number, number, number];
    return { totalLoss: total, policyLoss: policy, vfLoss: vf, vfExplainedVar, gradGnorm };
  }

  /** Optimizer moments and step count for a checkpoint. */
  getOptimizerState(): Promise<OptimizerState> {
    return this.engine.getOptimizerState();
  }

  /** Restores optimizer state from a checkpoint. */
  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.engine.setOptimizerState(state);
  }

  /** Frees what the learner holds. */
  dispose(): void {
    this.engine.dispose();
  }
}
