import type { AlgorithmConfig, AlgorithmConfigJSON } from '@loomrl/core';
import type { ProgressReporter } from '../progress/reporter.js';
import type { TrialScheduler } from '../schedulers/scheduler.js';
import type { TrialExecutor } from '../trial/executor.js';
import type { StopCriteria } from './stop.js';

/**
 * `resume` (Tune's): `false` starts afresh; `true`/`'LOCAL'` continues the experiment in
 * `storagePath/name` (an error when there is none); `'AUTO'` continues when there is one. A
 * `+ERRORED` suffix reruns errored trials from their last checkpoint, `+RESTART_ERRORED` from scratch.
 */
export type ResumeMode =
  | boolean
  | 'LOCAL'
  | 'AUTO'
  | `${'LOCAL' | 'AUTO'}+${'ERRORED' | 'RESTART_ERRORED'}`
  | 'ERRORED'
  | 'RESTART_ERRORED';

/** Options of `runExperiment` (Tune's `tune.run`, camelCased). */
export interface RunExperimentOptions {
  /** The base config: an `AlgorithmConfig` or its `toJSON()` form. */
  readonly config?: AlgorithmConfig | AlgorithmConfigJSON;
  /** A registered algorithm name (Tune's `run_or_experiment`, e.g. `'PPO'`) when no `config` is given. */
  readonly algorithm?: string;
  /**
   * The search space, merged into the config: flat config fields (`lr`, `seed`, `trainBatchSize`)
   * or nested ones (`model: { fcnetHiddens }`) holding values or domains (`gridSearch`, `choice`, …).
   */
  readonly paramSpace?: Record<string, unknown>;
  /** When each trial stops (Tune's `stop`). */
  readonly stop?: StopCriteria;
  /** Repeats of the whole search space (Tune's `num_samples`, default 1). */
  readonly numSamples?: number;
  /** Seed of the random search domains (default 0): the same seed gives the same trials. */
  readonly searchSeed?: number;
  /** Checkpoint every n iterations; 0 = never (Tune's `checkpoint_freq`). */
  readonly checkpointFreq?: number;
  /** Checkpoint when a trial finishes (Tune's `checkpoint_at_end`). */
  readonly checkpointAtEnd?: boolean;
  /** Keep at most n checkpoints per trial, the best by `checkpointScoreAttr` and the newest (Tune's `keep_checkpoints_num`). */
  readonly keepCheckpointsNum?: number | null;
  /** Result key ranking kept checkpoints; `min-` prefix = lower is better; default recency (Tune's `checkpoint_score_attr`). */
  readonly checkpointScoreAttr?: string | null;
  /** The storage root (Tune's `storage_path` / `local_dir`); default `~/loomrl_results`. */
  readonly storagePath?: string;
  /** The experiment dir name under `storagePath`; default `<Algorithm>_<date>`. */
  readonly name?: string;
  readonly resume?: ResumeMode;
  /** At most this many trials at once (Tune's `max_concurrent_trials`); the CPU budget also limits. */
  readonly maxConcurrentTrials?: number;
  /** CPUs to share among trials (default: the machine's); a trial takes 1 + rollout workers + evaluation workers. */
  readonly numCpus?: number;
  /** Metric and mode for `getBestResult()`, the scheduler and the progress table (Tune's `metric`, `mode`). */
  readonly metric?: string;
  readonly mode?: 'min' | 'max';
  /** FIFO (default) or `new ASHAScheduler({...})`. */
  readonly scheduler?: TrialScheduler;
  /** Retries of a failed trial from its last checkpoint (Tune's `max_failures`, default 0). */
  readonly maxFailures?: number;
  /** Stop the whole experiment at the first trial error (Tune's `fail_fast`). */
  readonly failFast?: boolean;
  /** Stop every trial after this many seconds (Tune's `time_budget_s`). */
  readonly timeBudgetS?: number;
  /** Throw a `TuneError` at the end when a trial ended in ERROR (Tune's `raise_on_failed_trial`, default true). */
  readonly raiseOnFailedTrial?: boolean;
  /** Verbosity of the default console reporter: 0 silent … 3 (Tune's `verbose`, default 1). */
  readonly verbose?: 0 | 1 | 2 | 3;
  /** A custom reporter; `null` = none. */
  readonly progressReporter?: ProgressReporter | null;
  /** `'process'` (default: one child process per trial), `'inline'` (this process), or your own. */
  readonly executor?: 'process' | 'inline' | TrialExecutor;
  /** Modules every trial imports first (user algorithms or envs registered at import). */
  readonly modules?: readonly string[];
  /** Aborting stops the trials and leaves the experiment resumable (the CLI wires SIGINT to it). */
  readonly signal?: AbortSignal;
}
