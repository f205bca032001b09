import type { EpisodeSummary } from '../metrics.js';
import type { SamplerPerf } from './envRunnerGroup.js';

/** Learner statistics of one iteration (RLlib's `learner_stats`, camelCased); algorithms add keys. */
export interface LearnerStats {
  readonly [key: string]: number;
}

/** The `evaluation` entry of a result (RLlib's `evaluation` sub-dict). */
export interface EvaluationResult extends EpisodeSummary {
  readonly numEnvStepsSampledThisIter: number;
  /** Per estimator of `evaluation({ offPolicyEstimationMethods })`: RLlib's metrics (`vBehavior`, `vTarget`, `vGain`, …), camelCased. */
  readonly offPolicyEstimator?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** Named timers of one iteration, in milliseconds (RLlib's `timers`). */
export interface Timers {
  readonly trainingIterationTimeMs: number;
  readonly sampleTimeMs: number;
  readonly learnTimeMs: number;
  readonly synchWeightsTimeMs: number;
}

/** What `await algo.train()` returns (RLlib's result dict, camelCased; see the README's name table); `S` types the algorithm's learner stats. */
export interface TrainResult<S extends LearnerStats = LearnerStats> extends EpisodeSummary {
  readonly trainingIteration: number;
  /** = `numEnvStepsSampled`. */
  readonly timestepsTotal: number;
  readonly episodesTotal: number;
  readonly numEnvStepsSampled: number;
  readonly numEnvStepsTrained: number;
  readonly numEnvStepsSampledThisIter: number;
  readonly numEnvStepsTrainedThisIter: number;
  readonly timeThisIterS: number;
  readonly timeTotalS: number;
  readonly learnerStats: S;
  readonly samplerPerf: SamplerPerf;
  readonly timers: Timers;
  readonly numHealthyWorkers: number;
  readonly numRemoteWorkerRestarts: number;
  /** The weights version the learner holds after this iteration. */
  readonly weightsVersion: number;
  /** How many versions behind the newest weights the oldest batch of this iteration was sampled. */
  readonly weightVersionLag: number;
  /** The learner's backend: `'loomrl'` (WebAssembly kernels) or a TensorFlow.js backend (`'tensorflow'`, `'wasm'`, `'cpu'`). */
  readonly backend: string;
  /** `<key>Mean/Min/Max/Sum` of the `reporting({ customMetricsFromInfo })` keys over this iteration's episodes (RLlib `custom_metrics`). */
  readonly customMetrics: Readonly<Record<string, number>>;
  /** Present on iterations that ran evaluation. */
  readonly evaluation?: EvaluationResult;
}

/** What an algorithm's `trainingStep` reports back to the loop. */
export interface TrainingStepResult<S extends LearnerStats = LearnerStats> {
  readonly learnerStats: S;
  readonly envStepsSampled: number;
  readonly envStepsTrained: number;
  readonly episodes: import('../metrics.js').EpisodeStats[];
  readonly samplerPerf: SamplerPerf;
  readonly weightVersionLag: number;
  readonly sampleTimeMs: number;
  readonly learnTimeMs: number;
  readonly synchWeightsTimeMs: number;
}

/**
 * The `TrainingStepResult` of a step that sampled `round`, trained on `envStepsTrained` env steps
 * with `learnerStats`, and took times `[start, sampled, learned, synced]` (ms, `performance.now()`).
 */
export function trainingStepResult<S extends LearnerStats>(
  round: import('./envRunnerGroup.js').SampleRound,
  learnerStats: S,
  envStepsTrained: number,
  [start, sampled, learned, synced]: readonly [number, number, number, number],
): TrainingStepResult<S> {
  return {
    learnerStats,
    envStepsSampled: round.envSteps,
    envStepsTrained,
    episodes: round.episodes,
    samplerPerf: round.perf,
    weightVersionLag: round.weightVersionLag,
    sampleTimeMs: sampled - start,
    learnTimeMs: learned - sampled,
    synchWeightsTimeMs: synced - learned,
  };
}
