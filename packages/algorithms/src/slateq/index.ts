export { SlateQ, type SlateQLearnerStats } from './algorithm.js';
export { SLATEQ_DEFAULTS, SLATEQ_EXPLORATION_DEFAULTS, SlateQConfig, type SlateQTrainingSettings } from './config.js';
export type { SlateQLearner, SlateQLearnerSettings, SlateQTrainColumns, SlateQUpdate, SlateQUpdateStats } from './learner.js';
export { interestEvolutionSlateQ } from './tunedExamples.js';
