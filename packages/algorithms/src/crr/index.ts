export { CRR } from './algorithm.js';
export { CRR_DEFAULTS, CRRConfig, type CRRTrainingSettings } from './config.js';
export type { CRRLearner, CRRLearnerSettings, CRRWeights } from './learner.js';
