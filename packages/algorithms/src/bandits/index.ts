export { Bandit } from './algorithm.js';
export {
  BANDIT_DEFAULTS,
  type BanditConfig,
  type BanditExploration,
  BanditLinTSConfig,
  BanditLinUCBConfig,
  type BanditTrainingSettings,
} from './config.js';
export { BanditLearner, type BanditLearnerStats } from './learner.js';
