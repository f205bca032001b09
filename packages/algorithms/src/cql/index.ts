export { CQL } from './algorithm.js';
export { CQL_DEFAULTS, CQLConfig, type CQLTrainingSettings } from './config.js';
export type { CQLLearner, CQLLearnerSettings } from './learner.js';
