import type { LogLevel } from '../logger.js';
import type { SpaceJSON } from '../spaces/space.js';

/** Hidden-layer activations of the fully connected nets (RLlib's `fcnet_activation`). */
export type Activation = 'tanh' | 'relu' | 'swish' | 'linear';

/**
 * Where the learner computes: `'loomrl'` = LoomRL's own WebAssembly SIMD kernels for dense nets;
 * `'tensorflow'` (tfjs-node), `'wasm'`, `'cpu'` = TensorFlow.js on that backend; `'auto'` =
 * tfjs-node if installed, else `'loomrl'`.
 */
export type BackendName = 'auto' | 'loomrl' | 'tensorflow' | 'wasm' | 'cpu';

/** `environment()`: which env, its config, and the modules that define it. */
export interface EnvironmentSettings {
  /** A registered env id (RLlib `env`). */
  env: string | null;
  /** Passed to the env creator (RLlib `env_config`); deep-merged across calls. */
  envConfig: Record<string, unknown>;
  /** Module specifiers (file URL, absolute path, or package name) that register envs; worker threads import them before building envs. */
  envModules: string[];
  /** The policy acts in [-1, 1] and actions are scaled to the env's Box bounds (RLlib `normalize_actions`). */
  normalizeActions: boolean;
  /** Clip actions to the env's Box bounds (RLlib `clip_actions`). */
  clipActions: boolean;
  /** `null` = no clipping, `true` = sign, a number = clip to ±value (RLlib `clip_rewards`). */
  clipRewards: boolean | number | null;
  /** Skip `checkEnv`-style validation of actions on every step (RLlib `disable_env_checking`). */
  disableEnvChecking: boolean;
  /** The observation space when no env gives it (offline input without an env); `null` = the env's (RLlib `observation_space`). A `Space` is stored as its JSON. */
  observationSpace: SpaceJSON | null;
  /** The action space when no env gives it; `null` = the env's (RLlib `action_space`). */
  actionSpace: SpaceJSON | null;
}

/** `rollouts()`: how samples are collected (RLlib `rollouts()`). */
export interface RolloutSettings {
  /** Remote rollout worker threads; 0 = sample on the local worker (RLlib `num_rollout_workers`). */
  numRolloutWorkers: number;
  /** Envs stepped together per worker (RLlib `num_envs_per_worker`). */
  numEnvsPerWorker: number;
  /** Steps per env per sample call, or `'auto'` = trainBatchSize ÷ (workers × envs) (RLlib `rollout_fragment_length`). */
  rolloutFragmentLength: number | 'auto';
  /** `'truncate_episodes'` cuts episodes at fragment ends; `'complete_episodes'` never does (RLlib `batch_mode`). */
  batchMode: 'truncate_episodes' | 'complete_episodes';
  /** Rollout workers in other processes, on any host, over a message system; `null` = threads only (see `RemoteSettings`). */
  remote: RemoteSettings | null;
}

/**
 * `rollouts({ remote })`: rollout workers that run as `loomrl-worker` processes on other hosts and
 * join the experiment over NATS JetStream (`@loomrl/nats`, installed beside `@loomrl/workers`).
 * `numRolloutWorkers` stays the total: the last `numNatsWorkers` of them are NATS workers, the
 * others threads. What Ray gives RLlib; no RLlib name.
 */
export interface RemoteSettings {
  /** The message system; only `'nats'` for now. */
  transport: 'nats';
  /** NATS server URLs, e.g. `'nats://10.0.0.5:4222'` (a cluster: several). */
  servers: string | string[];
  /** The experiment name workers join with `loomrl-worker --name`; letters, digits, `-` and `_`. */
  name: string;
  /** The JetStream stream samples go through; `null` = `LOOMRL_<name>`. */
  stream: string | null;
  /** Path of a NATS credentials file (`.creds`, JWT + nkey seed) or of an nkey seed file; `null` = none (or user:pass in the URL). */
  credentials: string | null;
  /** How many of the `numRolloutWorkers` are NATS workers (the last ones); `null` = all. */
  numNatsWorkers: number | null;
  /** How long `train()` waits at start for worker processes to join before failing, seconds. */
  joinTimeoutS: number;
  /** How often workers send heartbeats, seconds; a worker silent for `workerHealthProbeTimeoutS` counts as failed. */
  heartbeatIntervalS: number;
}

/** `training({ model })`: the fully connected nets every algorithm has (RLlib `MODEL_DEFAULTS`); algorithms add their own keys. */
export interface ModelSettings {
  /** Hidden layer sizes (RLlib `fcnet_hiddens`); `[]` = no hidden layers, i.e. linear heads on the observation. */
  fcnetHiddens: number[];
  /** Hidden activation (RLlib `fcnet_activation`). */
  fcnetActivation: Activation;
}

/** `training()`: the fields every algorithm has; algorithms extend it (and its `model`). */
export interface TrainingSettings<M extends ModelSettings = ModelSettings> {
  /** Discount factor (RLlib `gamma`). */
  gamma: number;
  /** Learning rate (RLlib `lr`). */
  lr: number;
  /** Piecewise-linear `[[timestep, lr], …]` overriding `lr` (RLlib `lr_schedule`). */
  lrSchedule: Array<[number, number]> | null;
  /** Env steps per training iteration (RLlib `train_batch_size`). */
  trainBatchSize: number;
  /** Global-norm gradient clipping; `null` = none (RLlib `grad_clip`). */
  gradClip: number | null;
  /** The networks (RLlib `model`); merged key by key across calls. */
  model: M;
}

/** Overrides applied to the evaluation workers (RLlib `evaluation_config`). */
export interface EvaluationOverrides {
  /** `false` = greedy actions. */
  explore?: boolean;
  /** Envs per evaluation worker. */
  numEnvsPerWorker?: number;
  /** Merged into the env config of evaluation envs. */
  envConfig?: Record<string, unknown>;
  /** Where evaluation workers get data: `'sampler'` = the env, or offline input as in `offlineData({ input })` (RLlib `evaluation_config.input`). */
  input?: OfflineInput;
  /** Reader settings of the evaluation input (RLlib `evaluation_config.input_config`). */
  inputConfig?: Record<string, unknown>;
}

/** One off-policy estimator: its `type` and its settings (RLlib `off_policy_estimation_methods` entries). */
export interface OffPolicyEstimatorSettings {
  readonly [key: string]: unknown;
  readonly type: 'ImportanceSampling' | 'WeightedImportanceSampling' | 'DirectMethod' | 'DoublyRobust';
}

/** `evaluation()`: when and how the greedy policy is measured (RLlib `evaluation()`). */
export interface EvaluationSettings {
  /** Evaluate every n `train()` calls; `null` = never automatically (RLlib `evaluation_interval`). */
  evaluationInterval: number | null;
  /** How many episodes or timesteps per evaluation (RLlib `evaluation_duration`). */
  evaluationDuration: number | 'auto';
  /** Unit of `evaluationDuration` (RLlib `evaluation_duration_unit`). */
  evaluationDurationUnit: 'episodes' | 'timesteps';
  /** Evaluation worker threads; 0 = evaluate on the local worker (RLlib `evaluation_num_workers`). */
  evaluationNumWorkers: number;
  /** Evaluate while the training step runs (RLlib `evaluation_parallel_to_training`). */
  evaluationParallelToTraining: boolean;
  /** Overrides for evaluation (RLlib `evaluation_config`); deep-merged across calls. */
  evaluationConfig: EvaluationOverrides;
  /** Give up an evaluation round after this many seconds (RLlib `evaluation_sample_timeout_s`). */
  evaluationSampleTimeoutS: number;
  /**
   * Off-policy estimators run on the evaluation input, by name, e.g.
   * `{ is: { type: 'ImportanceSampling' } }`; results land in `result.evaluation.offPolicyEstimator.<name>`
   * (RLlib `off_policy_estimation_methods`). Needs offline evaluation input.
   */
  offPolicyEstimationMethods: Record<string, OffPolicyEstimatorSettings>;
  /** `true` = estimate per episode; `false` = every row is a one-step episode (bandit / dataset mode) (RLlib `ope_split_batch_by_episode`). */
  opeSplitBatchByEpisode: boolean;
}

/**
 * Where `sample()` gets data (RLlib `input_`): `'sampler'` = step the envs; a file, directory
 * (its `*.json` files) or glob, or a list of them = JSON-lines offline data; `'dataset'` = the
 * files of `inputConfig.paths`; `{ sampler: 0.5, 'data/*.json': 0.5 }` = a mix by batch (RLlib `MixedInput`).
 */
export type OfflineInput = string | readonly string[] | Readonly<Record<string, number>>;

/** `offlineData()`: reading and writing logged experience (RLlib `offline_data()`). */
export interface OfflineDataSettings {
  /** Where `sample()` gets data; see `OfflineInput` (RLlib `input_`). */
  input: OfflineInput;
  /** Reader settings (RLlib `input_config`): `{ format: 'json', paths }` for `input: 'dataset'`. */
  inputConfig: Record<string, unknown>;
  /** Box actions in the input are already in the policy's [-1, 1] space (RLlib `actions_in_input_normalized`). */
  actionsInInputNormalized: boolean;
  /** The algorithm re-runs its postprocessing (e.g. MARWIL's returns) on read batches with the current policy (RLlib `postprocess_inputs`). */
  postprocessInputs: boolean;
  /** Batches in the shuffle window of the reader; 0 or 1 = none (RLlib `shuffle_buffer_size`). */
  shuffleBufferSize: number;
  /** Directory every sampled batch is written to as JSON lines, one file series per worker; `null` = none (RLlib `output`). */
  output: string | null;
  /** Columns (RLlib names, e.g. `'obs'`) written in the portable compact encoding (RLlib `output_compress_columns`). */
  outputCompressColumns: string[];
  /** A new output file starts once this many bytes were written (RLlib `output_max_file_size`). */
  outputMaxFileSize: number;
}

/** `exploration()`. */
export interface ExplorationSettings {
  /** Explore while training: sample actions, or follow the exploration strategy (RLlib `explore`). */
  explore: boolean;
  /**
   * The exploration strategy and its settings, `{ type, … }` (RLlib `exploration_config`), merged
   * key by key across calls; each algorithm documents the types it supports and their defaults
   * (DQN: `EpsilonGreedy`; bandits: `UpperConfidenceBound` / `ThompsonSampling`).
   */
  explorationConfig: Record<string, unknown>;
}

/** `rlModule()`: the modules that act for the algorithm (RLlib's `rl_module()`). */
export interface RLModuleSettings {
  /** Module specifiers that register module kinds (`registerModuleKind`); every worker thread imports them before building its modules. */
  modules: string[];
  /** A registered module kind to act with instead of the algorithm's own; `null` = the algorithm's (it must write the columns the algorithm's learner reads). */
  moduleKind: string | null;
  /** Merged into the module spec's `config`. */
  moduleConfig: Record<string, unknown>;
}

/** `faultTolerance()`: what happens when a worker fails (RLlib `fault_tolerance()`). */
export interface FaultToleranceSettings {
  /** Replace a failed worker with a new one of the same index (RLlib `recreate_failed_workers`). */
  recreateFailedWorkers: boolean;
  /**
   * Drop a failed worker and keep training with the healthy ones, reporting `numHealthyWorkers`
   * (RLlib `ignore_worker_failures`). With neither this nor `recreateFailedWorkers`, a worker
   * failure fails the algorithm: that `train()` and every later one reject.
   */
  ignoreWorkerFailures: boolean;
  /** Restarts allowed in all, across the workers; then a `WorkerError` with code `WORKER_RESTARTS_EXHAUSTED` (RLlib `max_num_worker_restarts`). */
  maxNumWorkerRestarts: number;
  /** Wait before restarting a worker (RLlib `delay_between_worker_restarts_s`). */
  delayBetweenWorkerRestartsS: number;
  /** A worker that does not answer within this many seconds counts as failed (RLlib `worker_health_probe_timeout_s`). */
  workerHealthProbeTimeoutS: number;
}

/** `reporting()`. */
export interface ReportingSettings {
  /** Episodes in the smoothing window of `episodeReward*` (RLlib `metrics_num_episodes_for_smoothing`). */
  metricsNumEpisodesForSmoothing: number;
  /** One `train()` repeats the training step until at least this many seconds passed; `null` = no minimum (RLlib `min_time_s_per_iteration`). */
  minTimeSPerIteration: number | null;
  /** …and until at least this many env steps were sampled (RLlib `min_sample_timesteps_per_iteration`). */
  minSampleTimestepsPerIteration: number;
  /** …and trained on (RLlib `min_train_timesteps_per_iteration`). */
  minTrainTimestepsPerIteration: number;
  /**
   * Numeric `info` keys the samplers sum per episode into the result's `customMetrics`
   * (`<key>Mean/Min/Max/Sum` over the iteration's episodes), e.g. `['regret']` — what RLlib users
   * write an episode callback for.
   */
  customMetricsFromInfo: string[];
}

/** `debugging()`. */
export interface DebuggingSettings {
  /** Seed of every random stream; `null` = fresh entropy (RLlib `seed`). */
  seed: number | null;
  /** Log level of the pino logs (RLlib `log_level`). */
  logLevel: LogLevel;
}

/** `framework()`: the learner's backend (RLlib `framework()`). */
export interface FrameworkSettings {
  /** `'auto'` = tfjs-node if installed, else `'loomrl'` (WebAssembly SIMD kernels); or `'tensorflow'`, `'wasm'`, `'cpu'` (TensorFlow.js). */
  backend: BackendName;
}

/**
 * `resources()`: how many threads learn (RLlib `resources()`; RLlib's GPU and CPU counts have no
 * counterpart in one Node process).
 */
export interface ResourcesSettings {
  /**
   * Learner threads that share each SGD minibatch (RLlib `num_learner_workers`, `num_learners` from
   * 2.10): the minibatch is split into that many contiguous shards, one per thread (this thread and
   * `numLearnerWorkers − 1` helper threads, each with its own copy of the nets), their gradients
   * summed in shard order, Adam stepped once. 0 and 1 = one learner on this thread (RLlib's 0 = the
   * local learner). Runs are bit-identical for a fixed value; a different value rounds the sums
   * differently. Only LoomRL's kernels (`backend: 'loomrl'`) use it; PPO only for now.
   */
  numLearnerWorkers: number;
}

/** Every setting of a config, flat, as `toJSON()` writes it. */
export type AllSettings<T extends TrainingSettings = TrainingSettings> = EnvironmentSettings &
  RolloutSettings &
  T &
  EvaluationSettings &
  ExplorationSettings &
  RLModuleSettings &
  FaultToleranceSettings &
  OfflineDataSettings &
  ReportingSettings &
  DebuggingSettings &
  FrameworkSettings &
  ResourcesSettings;

/** The fluent groups of `AlgorithmConfig`. */
export type SettingsGroup =
  | 'environment'
  | 'rollouts'
  | 'training'
  | 'evaluation'
  | 'exploration'
  | 'rlModule'
  | 'faultTolerance'
  | 'offlineData'
  | 'reporting'
  | 'debugging'
  | 'framework'
  | 'resources';
