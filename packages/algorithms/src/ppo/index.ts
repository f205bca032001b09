export { PPO } from './algorithm.js';
export { PPO_DEFAULTS, PPOConfig, type PPOTrainingSettings } from './config.js';
export { PPOLearner, type PPOLearnerSettings } from './learner.js';
export { cartPolePPO, pendulumPPO } from './tunedExamples.js';
