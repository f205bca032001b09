import { LOG_LEVELS } from '../logger.js';
import {
  arrayOf,
  type Check,
  either,
  integerAtLeast,
  isBoolean,
  nonEmptyString,
  nonNegativeNumber,
  nullable,
  numberIn,
  oneOf,
  plainObject,
  positiveNumber,
} from './checks.js';
import { offlineInput, offPolicyEstimationMethods, spaceJSON, spaceToJSON } from './offlineChecks.js';
import { mergeRemote, remoteCheck } from './remoteChecks.js';
import type { AllSettings, ModelSettings, SettingsGroup } from './settings.js';

/** A config field: the group whose setter takes it and the check of its value. */
export interface FieldSpec {
  readonly group: SettingsGroup;
  readonly check: Check;
  /** How a new value combines with the current one (e.g. a nested config merged key by key); default: it replaces it. */
  readonly merge?: (current: unknown, update: unknown) => unknown;
  /** Turns what a user passes into plain data before the check (e.g. a `Space` into its JSON). */
  readonly normalize?: (raw: unknown) => unknown;
}

/** The defaults of every base setting, written once (RLlib's defaults unless noted). */
export const BASE_DEFAULTS: AllSettings = {
  env: null,
  envConfig: {},
  envModules: [],
  normalizeActions: true,
  clipActions: false,
  clipRewards: null,
  disableEnvChecking: false,
  observationSpace: null,
  actionSpace: null,
  numRolloutWorkers: 0,
  numEnvsPerWorker: 1,
  rolloutFragmentLength: 200,
  batchMode: 'truncate_episodes',
  remote: null,
  gamma: 0.99,
  lr: 0.001,
  lrSchedule: null,
  trainBatchSize: 32,
  gradClip: null,
  model: { fcnetHiddens: [256, 256], fcnetActivation: 'tanh' },
  evaluationInterval: null,
  evaluationDuration: 10,
  evaluationDurationUnit: 'episodes',
  evaluationNumWorkers: 0,
  evaluationParallelToTraining: false,
  evaluationConfig: {},
  evaluationSampleTimeoutS: 180,
  offPolicyEstimationMethods: {},
  opeSplitBatchByEpisode: true,
  explore: true,
  explorationConfig: {},
  modules: [],
  moduleKind: null,
  moduleConfig: {},
  input: 'sampler',
  inputConfig: {},
  actionsInInputNormalized: false,
  postprocessInputs: false,
  shuffleBufferSize: 0,
  output: null,
  outputCompressColumns: ['obs', 'new_obs'],
  outputMaxFileSize: 64 * 1024 * 1024,
  recreateFailedWorkers: false,
  ignoreWorkerFailures: false,
  maxNumWorkerRestarts: 1000,
  delayBetweenWorkerRestartsS: 60,
  workerHealthProbeTimeoutS: 60,
  metricsNumEpisodesForSmoothing: 100,
  minTimeSPerIteration: null,
  minSampleTimestepsPerIteration: 0,
  minTrainTimestepsPerIteration: 0,
  customMetricsFromInfo: [],
  seed: null,
  logLevel: 'WARN',
  backend: 'auto',
  numLearnerWorkers: 0,
};

/** A piecewise-linear schedule: `[timestep, value]` pairs with timesteps >= 0 and values that pass `value`. */
const scheduleOf = (value: Check, what: string): Check =>
  arrayOf(
    (v) => (Array.isArray(v) && v.length === 2 && nonNegativeNumber(v[0]) === undefined && value(v[1]) === undefined ? undefined : 'x'),
    `[timestep >= 0, ${what}] pairs`,
  );

/** The fields of the base config, by name. */
export const BASE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  env: { group: 'environment', check: nullable(nonEmptyString) },
  envConfig: { group: 'environment', check: plainObject },
  envModules: { group: 'environment', check: arrayOf(nonEmptyString, 'module specifiers (strings)') },
  normalizeActions: { group: 'environment', check: isBoolean },
  clipActions: { group: 'environment', check: isBoolean },
  clipRewards: { group: 'environment', check: nullable(either(isBoolean, positiveNumber)) },
  disableEnvChecking: { group: 'environment', check: isBoolean },
  observationSpace: { group: 'environment', check: nullable(spaceJSON), normalize: spaceToJSON },
  actionSpace: { group: 'environment', check: nullable(spaceJSON), normalize: spaceToJSON },
  numRolloutWorkers: { group: 'rollouts', check: integerAtLeast(0) },
  numEnvsPerWorker: { group: 'rollouts', check: integerAtLeast(1) },
  rolloutFragmentLength: { group: 'rollouts', check: either(oneOf('auto'), integerAtLeast(1)) },
  batchMode: { group: 'rollouts', check: oneOf('truncate_episodes', 'complete_episodes') },
  remote: { group: 'rollouts', check: remoteCheck, merge: mergeRemote },
  gamma: { group: 'training', check: numberIn(0, 1) },
  lr: { group: 'training', check: positiveNumber },
  lrSchedule: { group: 'training', check: nullable(scheduleOf(positiveNumber, 'learning rate > 0')) },
  trainBatchSize: { group: 'training', check: integerAtLeast(1) },
  gradClip: { group: 'training', check: nullable(positiveNumber) },
  model: { group: 'training', check: plainObject },
  evaluationInterval: { group: 'evaluation', check: nullable(integerAtLeast(0)) },
  evaluationDuration: { group: 'evaluation', check: either(oneOf('auto'), integerAtLeast(1)) },
  evaluationDurationUnit: { group: 'evaluation', check: oneOf('episodes', 'timesteps') },
  evaluationNumWorkers: { group: 'evaluation', check: integerAtLeast(0) },
  evaluationParallelToTraining: { group: 'evaluation', check: isBoolean },
  evaluationConfig: { group: 'evaluation', check: plainObject },
  evaluationSampleTimeoutS: { group: 'evaluation', check: positiveNumber },
  offPolicyEstimationMethods: { group: 'evaluation', check: offPolicyEstimationMethods },
  opeSplitBatchByEpisode: { group: 'evaluation', check: isBoolean },
  explore: { group: 'exploration', check: isBoolean },
  explorationConfig: { group: 'exploration', check: plainObject },
  modules: { group: 'rlModule', check: arrayOf(nonEmptyString, 'module specifiers (strings)') },
  moduleKind: { group: 'rlModule', check: nullable(nonEmptyString) },
  moduleConfig: { group: 'rlModule', check: plainObject },
  input: { group: 'offlineData', check: offlineInput },
  inputConfig: { group: 'offlineData', check: plainObject },
  actionsInInputNormalized: { group: 'offlineData', check: isBoolean },
  postprocessInputs: { group: 'offlineData', check: isBoolean },
  shuffleBufferSize: { group: 'offlineData', check: integerAtLeast(0) },
  output: { group: 'offlineData', check: nullable(nonEmptyString) },
  outputCompressColumns: { group: 'offlineData', check: arrayOf(nonEmptyString, 'column names (strings)') },
  outputMaxFileSize: { group: 'offlineData', check: integerAtLeast(1) },
  recreateFailedWorkers: { group: 'faultTolerance', check: isBoolean },
  ignoreWorkerFailures: { group: 'faultTolerance', check: isBoolean },
  maxNumWorkerRestarts: { group: 'faultTolerance', check: integerAtLeast(0) },
  delayBetweenWorkerRestartsS: { group: 'faultTolerance', check: nonNegativeNumber },
  workerHealthProbeTimeoutS: { group: 'faultTolerance', check: positiveNumber },
  metricsNumEpisodesForSmoothing: { group: 'reporting', check: integerAtLeast(1) },
  minTimeSPerIteration: { group: 'reporting', check: nullable(nonNegativeNumber) },
  minSampleTimestepsPerIteration: { group: 'reporting', check: integerAtLeast(0) },
  minTrainTimestepsPerIteration: { group: 'reporting', check: integerAtLeast(0) },
  customMetricsFromInfo: { group: 'reporting', check: arrayOf(nonEmptyString, 'info keys (strings)') },
  seed: { group: 'debugging', check: nullable((v) => (typeof v === 'number' && Number.isSafeInteger(v) ? undefined : 'an integer')) },
  logLevel: { group: 'debugging', check: oneOf(...LOG_LEVELS) },
  backend: { group: 'framework', check: oneOf('auto', 'loomrl', 'tensorflow', 'wasm', 'cpu') },
  numLearnerWorkers: {
    group: 'resources',
    check: (v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 64 ? undefined : 'an integer from 0 to 64'),
  },
};

/** The keys of `training({ model })` every algorithm has, and their checks; algorithms add theirs. */
export const MODEL_FIELDS: Readonly<Record<keyof ModelSettings, Check>> = {
  fcnetHiddens: arrayOf(integerAtLeast(1), 'layer sizes (integers >= 1)'),
  fcnetActivation: oneOf('tanh', 'relu', 'swish', 'linear'),
};

/** The keys of `evaluation({ evaluationConfig })` and their checks. */
export const EVALUATION_OVERRIDE_FIELDS: Readonly<Record<string, Check>> = {
  explore: isBoolean,
  envConfig: plainObject,
  numEnvsPerWorker: integerAtLeast(1),
  input: offlineInput,
  inputConfig: plainObject,
};
