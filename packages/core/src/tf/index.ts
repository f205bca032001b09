/**
 * @loomrl/core/tf — the TensorFlow.js pieces of the learner: backend selection, the actor-critic
 * on tfjs variables, action distributions as differentiable ops, and Adam with gradient clipping.
 * Kept out of the main entry so rollout worker threads never load tfjs.
 */
export { selectBackend, tf, tfjsBackendOf, useBackend } from './backend.js';
export { ClippedAdam, type OptimizerState } from './optimizer.js';
export { TfActorCritic } from './tfActorCritic.js';
export { createTfDistribution, type TfDistribution } from './tfDistributions.js';
export { TfActor, TfMlp } from './tfMlp.js';
export { TfQNetwork } from './tfQNetwork.js';
export { TfWeights } from './tfWeights.js';
