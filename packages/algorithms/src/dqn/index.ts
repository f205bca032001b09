export { DQN } from './algorithm.js';
export { DQN_DEFAULTS, DQN_EXPLORATION_DEFAULTS, DQNConfig, type DQNTrainingSettings } from './config.js';
export type { DQNLearner, DQNLearnerSettings, DQNTrainColumns, DQNUpdate } from './learner.js';
export { cartPoleDQN } from './tunedExamples.js';
