export { SlateQ } from './algorithm.js';
export { SLATEQ_DEFAULTS, SLATEQ_EXPLORATION_DEFAULTS, SlateQConfig, type SlateQTrainingSettings } from './config.js';
export type { SlateQLearner, SlateQLearnerSettings, SlateQTrainColumns, SlateQUpdate } from './learner.js';
