import type { AdvantageColumns, Rng, RolloutColumns, SampleBatch, ValueColumns } from '@loomrl/core';
import type { ActorCriticSpec, OptimizerState } from '@loomrl/core/internal';
import { standardize } from '../connectors/gae.js';
import { explainedVariance } from '../explainedVariance.js';
import type { LearnerEngineName } from '../learnerEngine.js';
import type { PPOTrainingSettings } from './config.js';

/** The PPO settings the learner reads. */
export type PPOLearnerSettings = Pick<
  PPOTrainingSettings,
  | 'lr'
  | 'gradClip'
  | 'klCoeff'
  | 'klTarget'
  | 'useKlLoss'
  | 'useCritic'
  | 'sgdMinibatchSize'
  | 'numSgdIter'
  | 'shuffleSequences'
  | 'clipParam'
  | 'vfClipParam'
  | 'vfLossCoeff'
  | 'entropyCoeff'
>;

/** The columns of one train batch that PPO's loss reads, row-major, advantages standardized. */
export interface PPOTrainData {
  readonly rows: number;
  readonly obs: Float32Array;
  readonly obsDim: number;
  readonly actions: Float32Array;
  readonly actionDim: number;
  readonly oldLogp: Float32Array;
  readonly oldDistInputs: Float32Array;
  readonly distDim: number;
  readonly advantages: Float32Array;
  readonly valueTargets: Float32Array;
}

/** PPO's learner stats (RLlib's `learner_stats`, camelCased). */
export type PPOLearnerStats = {
  readonly totalLoss: number;
  readonly policyLoss: number;
  readonly vfLoss: number;
  readonly vfExplainedVar: number;
  readonly kl: number;
  readonly entropy: number;
  readonly entropyCoeff: number;
  readonly curKlCoeff: number;
  readonly curLr: number;
  readonly gradGnorm: number;
  readonly numSgdSteps: number;
};

/** The statistics of PPO's loss, in the order engines report their means. */
export const PPO_STAT_NAMES = ['totalLoss', 'policyLoss', 'vfLoss', 'kl', 'entropy'] as const;

/**
 * Where PPO's SGD steps run: the loss, its gradients and Adam over the actor-critic's weights
 * (`KernelPPOEngine`, WebAssembly kernels; `TfPPOEngine`, TensorFlow.js).
 */
export interface PPOEngine {
  /** The learner's actor-critic weights as the flat layout array. */
  getWeights(): Float32Array;
  setWeights(weights: Float32Array): void;
  /** V(s) of `rows` flat observations. */
  values(obs: Float32Array, rows: number): Float32Array;
  /** Starts an update over `data` at learning rate `lr`. */
  begin(data: PPOTrainData, lr: number): void;
  /** One SGD step on rows `order[start…start+rows)` of the current data with KL coefficient `klCoeff`. */
  step(order: Int32Array, start: number, rows: number, klCoeff: number): void;
  /** Ends the update: the mean of each `PPO_STAT_NAMES` stat over its steps and the sum of gradient norms. */
  finish(): { means: number[]; gradNormSum: number };
  getOptimizerState(): Promise<OptimizerState>;
  setOptimizerState(state: OptimizerState): Promise<void>;
  /** Frees what the engine holds; resolves once its threads (if any) have ended. */
  dispose(): void | Promise<void>;
}

/**
 * PPO's learner: the loss and the update (RLlib's PPO loss, old API stack).
 *
 * loss = mean(−min(A·r, A·clip(r, 1−ε, 1+ε)))                 clipped surrogate, r = π/π_old
 *      + vfLossCoeff · mean(min((V − V_target)², vfClipParam))  clipped value loss
 *      − entropyCoeff · mean(H[π])                             entropy bonus
 *      + klCoeff · mean(KL(π_old ‖ π))                         adaptive KL penalty (useKlLoss)
 *
 * After each update the KL coefficient adapts: ×1.5 when KL > 2·klTarget, ×0.5 when KL < klTarget/2.
 * The steps run on an engine: LoomRL's WebAssembly kernels (`'loomrl'`) or TensorFlow.js (`'tfjs'`).
 */
export class PPOLearner {
  private readonly engine: PPOEngine;
  private readonly settings: PPOLearnerSettings;
  private readonly rng: Rng;
  /** The current KL coefficient (RLlib `cur_kl_coeff`). */
  klCoeff: number;

  /**
   * A learner for `spec` starting from `weights` on `engine` (tfjs on its active backend); `rng`
   * shuffles minibatches. On the kernels, `learners` > 1 splits every minibatch across that many
   * threads (`resources({ numLearnerWorkers })`); TensorFlow.js always learns on this thread.
   */
  static async create(
    spec: ActorCriticSpec,
    weights: Float32Array,
    settings: PPOLearnerSettings,
    rng: Rng,
    engine: LearnerEngineName,
    learners = 1,
  ): Promise<PPOLearner> {
    if (engine === 'tfjs') {
      const { TfPPOEngine } = await import('./tfEngine.js');
      return new PPOLearner(new TfPPOEngine(spec, weights, settings), settings, rng);
    }
    const { KernelPPOEngine } = await import('./kernelEngine.js');
    return new PPOLearner(await KernelPPOEngine.create(spec, weights, settings, learners), settings, rng);
  }

  /** A learner running on `engine`. */
  constructor(engine: PPOEngine, settings: PPOLearnerSettings, rng: Rng) {
    this.engine = engine;
    this.settings = settings;
    this.rng = rng;
    this.klCoeff = settings.klCoeff;
  }

  /** The policy weights as one flat array in layout order. */
  getWeights(): Float32Array {
    return this.engine.getWeights();
  }

  /** Sets the policy weights from a flat array in layout order. */
  setWeights(weights: Float32Array): void {
    this.engine.setWeights(weights);
  }

  /** V(s) of `rows` flat observations (batched forward passes on the learner's current weights). */
  values(obs: Float32Array, rows: number): Float32Array {
    if (rows === 0) return new Float32Array(0);
    return this.engine.values(obs, rows);
  }

  /**
   * Widens rollouts by the value estimates advantage estimation needs, all from this learner's
   * forward passes: `vfPreds` = V(obs) of every row and `bootstrapValues` = V(nextObs) of each
   * row that ends a segment without terminating (a truncation or the end of a fragment), 0 elsewhere.
   */
  withValues(batch: SampleBatch<RolloutColumns>): SampleBatch<ValueColumns> {
    const n = batch.count;
    const { obs, nextObs, terminateds, epsId } = batch.columns;
    const dim = batch.widths.obs;
    const ends: number[] = [];
    for (let i = 0; i < n; i++) {
      const segmentEnd = i === n - 1 || epsId[i + 1] !== epsId[i];
      if (segmentEnd && terminateds[i] === 0) ends.push(i);
    }
    const endObs = new Float32Array(ends.length * dim);
    ends.forEach((row, k) => {
      endObs.set(nextObs.subarray(row * dim, (row + 1) * dim), k * dim);
    });
    const endValues = this.values(endObs, ends.length);
    const bootstrapValues = new Float32Array(n);
    ends.forEach((row, k) => {
      bootstrapValues[row] = endValues[k] as number;
    });
    return batch.withColumns({ vfPreds: 1, bootstrapValues: 1 }, { vfPreds: this.values(obs, n), bootstrapValues });
  }

  /** Minibatch SGD over `batch` for `numSgdIter` passes at learning rate `lr`; returns the learner stats. */
  update(batch: SampleBatch<AdvantageColumns>, lr: number): PPOLearnerStats {
    const s = this.settings;
    const n = batch.count;
    const c = batch.columns;
    this.engine.begin(
      {
        rows: n,
        obs: c.obs,
        obsDim: batch.widths.obs,
        actions: c.actions,
        actionDim: batch.widths.actions,
        oldLogp: c.actionLogp,
        oldDistInputs: c.actionDistInputs,
        distDim: batch.widths.actionDistInputs,
        advantages: standardize(new Float32Array(c.advantages)),
        valueTargets: c.valueTargets,
      },
      lr,
    );
    const minibatch = Math.min(s.sgdMinibatchSize, n);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    let steps = 0;
    for (let epoch = 0; epoch < s.numSgdIter; epoch++) {
      if (s.shuffleSequences) this.rng.shuffle(order);
      for (let start = 0; start + minibatch <= n; start += minibatch) {
        this.engine.step(order, start, minibatch, this.klCoeff);
        steps += 1;
      }
    }
    const { means, gradNormSum } = this.engine.finish();
    const stats = Object.fromEntries(PPO_STAT_NAMES.map((name, i) => [name, means[i] ?? Number.NaN])) as Record<
      (typeof PPO_STAT_NAMES)[number],
      number
    >;
    const explainedVar = explainedVariance(c.valueTargets, c.vfPreds);
    const klUsed = this.klCoeff;
    this.adaptKlCoeff(stats.kl);
    return {
      ...stats,
      vfExplainedVar: explainedVar,
      curKlCoeff: klUsed,
      curLr: lr,
      entropyCoeff: s.entropyCoeff,
      gradGnorm: gradNormSum / Math.max(1, steps),
      numSgdSteps: steps,
    };
  }

  private adaptKlCoeff(kl: number): void {
    if (kl > 2 * this.settings.klTarget) this.klCoeff *= 1.5;
    else if (kl < 0.5 * this.settings.klTarget) this.klCoeff *= 0.5;
  }

  /** Optimizer moments and step count for a checkpoint. */
  getOptimizerState(): Promise<OptimizerState> {
    return this.engine.getOptimizerState();
  }

  /** Restores optimizer state from a checkpoint. */
  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.engine.setOptimizerState(state);
  }

  /** Frees what the learner holds; resolves once its learner threads (if any) have ended. */
  async dispose(): Promise<void> {
    await this.engine.dispose();
  }
}
