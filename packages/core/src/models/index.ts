export { type ActionAdapter, createActionAdapter } from './actionAdapter.js';
export { type ActionBatch, ActorCriticInference } from './actorCriticInference.js';
export {
  type ActorDistribution,
  ActorInference,
  type ActorLayout,
  type ActorSpec,
  actorLayout,
  actorOutputs,
  SQUASHED_LOG_STD_MAX,
  SQUASHED_LOG_STD_MIN,
} from './actorNetwork.js';
export { createDistributionGradients, type DistributionGradients } from './distributionGradients.js';
export { createPlainDistribution, type PlainDistribution } from './distributions.js';
export { type DenseLayer, initialWeights, LayoutBuilder, type WeightEntry, type WeightLayout, weightLayout } from './layout.js';
export {
  type Features,
  LINEAR_ARMS_TENSORS,
  LinearArms,
  type LinearArmsOptions,
  type LinearArmsState,
  ParametricLinearArms,
  type ParametricLinearArmsOptions,
} from './linearBandits/index.js';
export { applyActivation, denseForward, type PreparedDense, prepareDense } from './mlpForward.js';
export { mlpLayout, type PlainMlpLayout } from './mlpLayout.js';
export { ADAM_ACC_BETA1, ADAM_ACC_BETA2, type AdamStateParts, type OptimizerState, readAdamState } from './optimizerState.js';
export { QNetworkInference, type QNetworkLayout, type QNetworkSpec, qNetworkLayout } from './qNetwork.js';
export * from './slate/index.js';
export { logProbsOfActions, softmaxRows } from './softmax.js';
export {
  type ActorCriticSpec,
  actionDim,
  type DistributionSpec,
  distInputDim,
  distributionFor,
} from './spec.js';
export {
  type MlpLayout,
  nearestItems,
  normalizeRows,
  WolpertingerInference,
  type WolpertingerSpec,
  wolpertingerActorLayout,
  wolpertingerCriticLayout,
} from './wolpertinger.js';
