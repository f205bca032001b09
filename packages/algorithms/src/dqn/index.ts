export { DQN, type DQNLearnerStats } from './algorithm.js';
export { DQN_DEFAULTS, DQN_EXPLORATION_DEFAULTS, DQNConfig, type DQNTrainingSettings } from './config.js';
export type { DQNLearner, DQNLearnerSettings, DQNTrainColumns, DQNUpdate, DQNUpdateStats } from './learner.js';
export { cartPoleDQN } from './tunedExamples.js';
