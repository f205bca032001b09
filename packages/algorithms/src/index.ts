/**
 * @loomrl/algorithms — one folder per algorithm (`<algo>/config.ts`, `learner.ts` with the loss,
 * `algorithm.ts` with the training step). Importing the package registers every algorithm by name
 * (for `Algorithm.fromCheckpoint` and config JSON) and the built-in envs of `@loomrl/envs`;
 * `restoreAlgorithm(dir)` does so itself. TensorFlow.js loads when a learner is set up, not on import.
 */
import { registerAlgorithms } from './registration.js';

registerAlgorithms();

export * from './bandits/index.js';
export * from './bc/index.js';
export { type AdvantageOptions, computeAdvantages, standardize } from './connectors/gae.js';
export { computeNStepTransitions, type NStepOptions } from './connectors/nStep.js';
export * from './cql/index.js';
export * from './crr/index.js';
export * from './dqn/index.js';
export * from './marwil/index.js';
export { type RecordPolicyOptions, recordPolicy } from './offline/recordPolicy.js';
export * from './ppo/index.js';
export { registerAlgorithms } from './registration.js';
export * from './replay/index.js';
export { restoreAlgorithm } from './restore.js';
export * from './sac/index.js';
export * from './slateq/index.js';
export * from './wolpertinger/index.js';
