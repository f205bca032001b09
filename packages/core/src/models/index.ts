export { type ActionAdapter, createActionAdapter } from './actionAdapter.js';
export { type ActionBatch, ActorCriticInference } from './actorCriticInference.js';
export { createPlainDistribution, type PlainDistribution } from './distributions.js';
export { type DenseLayer, initialWeights, type WeightEntry, type WeightLayout, weightLayout } from './layout.js';
export { applyActivation, denseForward, type PreparedDense, prepareDense } from './mlpForward.js';
export {
  type ActorCriticSpec,
  actionDim,
  actorCriticSpecFor,
  type DistributionSpec,
  distInputDim,
  distributionFor,
} from './spec.js';
