import { Algorithm } from '@loomrl/core';
import { registerAlgorithms } from './registration.js';

/**
 * Builds the algorithm a checkpoint was saved from — its config, weights, optimizer state and
 * counters (RLlib's `Algorithm.from_checkpoint`). Unlike `Algorithm.fromCheckpoint` of
 * `@loomrl/core`, it needs no other import first: it registers this package's algorithms and the
 * built-in envs itself, so it works alone and in a bundle.
 */
export async function restoreAlgorithm(dir: string): Promise<Algorithm> {
  registerAlgorithms();
  return Algorithm.fromCheckpoint(dir);
}
