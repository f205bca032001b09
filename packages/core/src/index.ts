/**
 * @loomrl/core — the contracts a LoomRL user touches: spaces, the Env interface and env registry,
 * sample batches, seeded randomness, errors, the `Algorithm` loop and `AlgorithmConfig`, and the
 * inference-module contract (for your own module kinds). TensorFlow.js pieces live in
 * `@loomrl/core/tf`; the building blocks LoomRL's own packages share live in `@loomrl/core/internal`.
 */

export { Algorithm, type ComputeActionOptions, type EnvSpaces } from './algorithm/algorithm.js';
export type { Counters, LearnerState, StateArray } from './algorithm/checkpoint.js';
export { CHECKPOINT_METADATA_FILE } from './algorithm/checkpointFiles.js';
export type {
  EnvRunnerGroup,
  EnvRunnerGroupFactory,
  EvaluationRound,
  ModuleStateMessage,
  SampleRound,
  SamplerPerf,
  WorkerCheckpointState,
  WorkerHealth,
} from './algorithm/envRunnerGroup.js';
export { type AlgorithmRegistration, configFromJSON, registerAlgorithm } from './algorithm/registry.js';
export {
  type EvaluationResult,
  type LearnerStats,
  type Timers,
  type TrainingStepResult,
  type TrainResult,
  trainingStepResult,
} from './algorithm/result.js';
export { AlgorithmConfig, type AlgorithmConfigJSON, type RolloutsUpdate, type TrainingUpdate } from './config/algorithmConfig.js';
export type { FieldSpec } from './config/baseFields.js';
export type { Check } from './config/checks.js';
export type * from './config/settings.js';
export * from './env/env.js';
export { envSpec, isEnvRegistered, listEnvs, makeEnv, type RegisterEnvOptions, registerEnv } from './env/registry.js';
export { assertActionInSpace, SyncVectorEnv, type VectorEnv, type VectorStepResult } from './env/vectorEnv.js';
export { envHasState, TimeLimit, Wrapper } from './env/wrapper.js';
export {
  ActionError,
  AlgorithmError,
  CheckpointError,
  ConfigError,
  DataError,
  EnvError,
  LearnerError,
  LoomError,
  type LoomErrorCode,
} from './errors.js';
export { createLogger, type Logger, type LogLevel } from './logger.js';
export type { EpisodeStats, EpisodeSummary } from './metrics.js';
export {
  type Features,
  LinearArms,
  type LinearArmsOptions,
  type LinearArmsState,
  ParametricLinearArms,
  type ParametricLinearArmsOptions,
} from './models/linearBandits/index.js';
export {
  ACTOR_CRITIC_KIND,
  ACTOR_KIND,
  type ActContext,
  type ActOutput,
  type ActorCriticModuleConfig,
  type ActorModuleConfig,
  type ColumnDecl,
  type ColumnDtype,
  createModule,
  DEFAULT_MODULE_ID,
  type EpsilonGreedyConfig,
  type InferenceModule,
  isModuleKindRegistered,
  LINEAR_BANDIT_KIND,
  type LinearBanditModuleConfig,
  listModuleKinds,
  type ModuleFactory,
  type ModuleId,
  type ModuleSpec,
  type ModuleTensors,
  Q_NETWORK_KIND,
  type QNetworkModuleConfig,
  registerModuleKind,
  SLATE_Q_KIND,
  type SlateEpsilonGreedyConfig,
  type SlateQModuleConfig,
  WOLPERTINGER_KIND,
  type WolpertingerModuleConfig,
} from './modules/index.js';
export { createRng, deriveIntSeed, deriveSeed, entropySeed, Rng, type RngState } from './rng.js';
export {
  type AdvantageColumns,
  type Column,
  type ColumnSet,
  Columns,
  type RolloutColumns,
  SampleBatch,
  type SampleBatchData,
  type TransitionColumns,
  type ValueColumns,
} from './sampleBatch.js';
export { scheduledValue } from './schedule.js';
export * from './spaces/index.js';
