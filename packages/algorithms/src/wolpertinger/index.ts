export { Wolpertinger, type WolpertingerLearnerStats } from './algorithm.js';
export {
  WOLPERTINGER_DEFAULTS,
  WOLPERTINGER_EXPLORATION_DEFAULTS,
  WolpertingerConfig,
  type WolpertingerTrainingSettings,
} from './config.js';
export type {
  WolpertingerLearner,
  WolpertingerLearnerSettings,
  WolpertingerTrainColumns,
  WolpertingerUpdateStats,
  WolpertingerWeights,
} from './learner.js';
