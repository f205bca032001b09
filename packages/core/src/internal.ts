/**
 * @loomrl/core/internal — everything of the core, for LoomRL's own packages and for authors of
 * algorithms, module kinds and env families: config checks and field tables, network layouts and
 * forward passes, loaders, metrics helpers. Users of the framework need only `@loomrl/core`. What is
 * here may change between minor versions.
 */

export * from './algorithm/algorithm.js';
export { type Counters, joinStateArrays, type LearnerState, type StateArray, splitStateArrays } from './algorithm/checkpoint.js';
export { CHECKPOINT_METADATA_FILE } from './algorithm/checkpointFiles.js';
export * from './algorithm/envRunnerGroup.js';
export * from './algorithm/registry.js';
export * from './algorithm/result.js';
export * from './config/algorithmConfig.js';
export { BASE_DEFAULTS, BASE_FIELDS, type FieldSpec, MODEL_FIELDS } from './config/baseFields.js';
export * from './config/checks.js';
export { rolloutFragmentLengthFor } from './config/fragmentLength.js';
export { OFF_POLICY_ESTIMATOR_TYPES } from './config/offlineChecks.js';
export { evaluationInputOf, inputUsesSampler } from './config/offlineValidation.js';
export { REMOTE_DEFAULTS } from './config/remoteChecks.js';
export * from './config/settings.js';
export * from './env/env.js';
export * from './env/registry.js';
export * from './env/vectorEnv.js';
export * from './env/wrapper.js';
export * from './errors.js';
export { assertFiniteUpdate, nonFiniteIndex } from './finite.js';
export * from './kernels/index.js';
export { assertBuiltFile, builtFileUrl } from './loading/builtFile.js';
export * from './loading/moduleLoader.js';
export * from './logger.js';
export * from './metrics.js';
export * from './models/index.js';
export * from './modules/index.js';
export { DirectMethod, DoublyRobust } from './ope/directMethod.js';
export { datasetMetrics, episodeMetrics, episodeRanges, meanAndStd, sampleStd } from './ope/episodes.js';
export { createEstimators, estimateOffPolicy, offPolicyInputColumns, targetPolicyOf } from './ope/estimators.js';
export { FQE_DEFAULTS, type FqeSettings } from './ope/fqeSettings.js';
export { ImportanceSampling, importanceRatios, WeightedImportanceSampling } from './ope/importanceSampling.js';
export type { EstimatorInput, OffPolicyEstimator, TargetPolicy } from './ope/types.js';
export * from './rng.js';
export * from './sampleBatch.js';
export { scheduledValue } from './schedule.js';
export * from './spaces/index.js';
