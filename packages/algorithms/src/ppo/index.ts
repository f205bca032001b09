export { PPO } from './algorithm.js';
export { PPO_DEFAULTS, PPOConfig, type PPOTrainingSettings } from './config.js';
// Types only: the learner module loads TensorFlow.js, which PPO imports when its learner is set up.
export type { PPOLearner, PPOLearnerSettings, PPOLearnerStats } from './learner.js';
export { cartPolePPO, pendulumPPO } from './tunedExamples.js';
