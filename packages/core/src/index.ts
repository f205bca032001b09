/**
 * @loomrl/core — contracts and data shared by every LoomRL package: spaces, envs, the env
 * registry, sample batches, seeded randomness, metrics, logging, configs and the algorithm loop.
 * TensorFlow.js pieces live in the `@loomrl/core/tf` entry so worker threads never load tfjs.
 */

export * from './env/env.js';
export * from './env/registry.js';
export * from './env/vectorEnv.js';
export * from './env/wrapper.js';
export * from './errors.js';
export * from './logger.js';
export * from './metrics.js';
export * from './rng.js';
export * from './sampleBatch.js';
export * from './spaces/index.js';
