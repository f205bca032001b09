export { CandidateSet } from './candidateSet.js';
export {
  type CascadeOptions,
  cascadeProbabilities,
  ExponentialCascadeChoiceModel,
  ProportionalCascadeChoiceModel,
  type ProportionalCascadeOptions,
} from './cascadeModels.js';
export { ChoiceModel, NO_CLICK, normalizeWeights, sampleCategorical } from './choiceModel.js';
export { DocumentSampler, type RecDocument } from './document.js';
export {
  MultinomialLogitChoiceModel,
  type MultinomialLogitOptions,
  MultinomialProportionalChoiceModel,
  type MultinomialProportionalOptions,
} from './multinomialModels.js';
export { RecSimEnv, type RecSimEnvOptions, type RecSimObservation } from './recsimEnv.js';
export type { ClickResponse, RecResponse } from './response.js';
export { clickedSumReward, type RewardFunction, totalClicksReward } from './rewards.js';
export { SingleUserEnvironment, type SingleUserEnvironmentOptions, type SingleUserStep } from './singleUserEnvironment.js';
export { flatBounds, float32Box, zeroElement } from './spaceValues.js';
export { createRecSimStreams, type RecSimStreams } from './streams.js';
export { type RecUserState, UserModel, type UserModelOptions, UserSampler } from './user.js';
