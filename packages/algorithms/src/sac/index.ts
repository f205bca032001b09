export { SAC } from './algorithm.js';
export { SAC_DEFAULTS, SAC_FIELDS, SACConfig, type SACModelConfig, type SACOptimization, type SACTrainingSettings } from './config.js';
export type { SACLearner, SACLearnerSettings, SACUpdate } from './learner.js';
export type { SacNetworkSpec, SacWeights } from './networks.js';
export { pendulumSAC } from './tunedExamples.js';
