/**
 * @loomrl/algorithms — one folder per algorithm (`<algo>/config.ts`, `learner.ts` with the loss,
 * `algorithm.ts` with the training step). Importing the package registers every algorithm by name
 * (for `Algorithm.fromCheckpoint` and config JSON) and the built-in envs of `@loomrl/envs`.
 */
import '@loomrl/envs';
import { registerAlgorithm } from '@loomrl/core';
import { PPO } from './ppo/algorithm.js';
import { PPOConfig } from './ppo/config.js';

registerAlgorithm({ name: 'PPO', createConfig: () => new PPOConfig(), createAlgorithm: (config) => new PPO(config as PPOConfig) });

export * from './bandits/index.js';
export { type AdvantageOptions, computeAdvantages, standardize } from './connectors/gae.js';
export * from './ppo/index.js';
export { scheduledValue } from './schedule.js';
