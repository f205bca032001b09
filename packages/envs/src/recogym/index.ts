/**
 * RecoGym (Criteo's reco-gym-v1 and v0) in TypeScript: the env with its own API and as a LoomRL
 * `Env` (`RecoGym-v1`, `RecoGym-v0`, registered on import), RecoGym's agents, logs and its CTR
 * evaluation protocol.
 */

export { RecoGymBanditCountAgent } from './agents/banditCount.js';
export { RecoGymBanditMFSquareAgent } from './agents/banditMf.js';
export { type RecoGymLogisticData, type RecoGymLogisticFitOptions, RecoGymLogisticModel } from './agents/logisticModel.js';
export { RecoGymLogregAgent, type RecoGymLogregOptions } from './agents/logreg.js';
export type { RecoGymMFSquareOptions } from './agents/mfOptions.js';
export { RecoGymNnIpsAgent, type RecoGymNnIpsLoss, type RecoGymNnIpsOptions, type RecoGymNnIpsWeights } from './agents/nnIps.js';
export type { RecoGymAgentBaseOptions } from './agents/options.js';
export { RecoGymOrganicCountAgent } from './agents/organicCount.js';
export { RecoGymOrganicMFSquareAgent } from './agents/organicMf.js';
export { RecoGymOrganicUserEventCounterAgent, type RecoGymOrganicUserEventCounterOptions } from './agents/organicUserCounter.js';
export { RecoGymPopularityAgent } from './agents/popularity.js';
export { RecoGymPyTorchMLRAgent, type RecoGymPyTorchMLROptions } from './agents/pytorchMlr.js';
export { RecoGymRandomAgent } from './agents/random.js';
export type { RecoGymTfBackendName } from './agents/tfModule.js';
export { RecoGymViewCounts } from './agents/viewCounts.js';
export { betaCdf, betaQuantile, ctrCredibleInterval, logGamma } from './betaQuantile.js';
export type { RecoGymClock } from './clock.js';
export {
  RECOGYM_DEFAULTS,
  RECOGYM_PYTHON_NAMES,
  type RecoGymConfig,
  type RecoGymTimeGenerator,
  type RecoGymVersion,
  type ResolvedRecoGymConfig,
  recoGymConfigKeys,
  resolveRecoGymConfig,
} from './config.js';
export { recoGymCtr } from './draws.js';
export { RecoGymEnv, type RecoGymEnvOptions } from './env.js';
export {
  generateLogsToFile,
  parseRecoGymLogLine,
  parseRecoGymLogs,
  type RecoGymLogCheck,
  readRecoGymLogs,
  writeRecoGymLogs,
} from './logFile.js';
export { generateLogs, type RecoGymLogOptions, type RecoGymLogRow, type RecoGymLogSink, streamRecoGymLogs } from './logs.js';
export { type RecoGymLoomConfig, RecoGymLoomEnv, type RecoGymObservationFeatures } from './loomEnv.js';
export { RECOGYM_ENV_IDS } from './register.js';
export { type RecoGymTestOptions, type RecoGymTestResult, testAgent } from './testAgent.js';
export { type RecoGymOfflineTrainingOptions, replayRecoGymLogs, trainRecoGymAgentOffline } from './training.js';
export type {
  RecoGymAction,
  RecoGymAgent,
  RecoGymContext,
  RecoGymObservation,
  RecoGymOfflineStepResult,
  RecoGymOrganicEvent,
  RecoGymStepResult,
} from './types.js';
export { type RecoGymUserModel, RecoGymUserModelV0, RecoGymUserModelV1 } from './userModel.js';
export { RecoGymState, type RecoGymStateId, type RecoGymWorldParameters, type RecoGymWorldV0, type RecoGymWorldV1 } from './world.js';
