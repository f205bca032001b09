export { MARWIL } from './algorithm.js';
export {
  ACTOR_CRITIC_MODEL_FIELDS,
  MARWIL_DEFAULTS,
  MARWILConfig,
  type MARWILModelSettings,
  type MARWILTrainingSettings,
} from './config.js';
export type { MARWILLearner, MARWILLearnerSettings, MARWILTrainColumns } from './learner.js';
