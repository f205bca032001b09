import { EnvError, entropySeed, Rng } from '@loomrl/core';

/**
 * The stream a reset draws from (Gymnasium's `np_random` seeding): a fresh stream when `seed` is
 * given, the current stream otherwise, and an entropy-seeded stream on a first reset without a seed.
 */
export function resetRng(current: Rng | undefined, seed: number | undefined, envName: string): Rng {
  if (seed !== undefined) {
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) {
      throw new EnvError(`${envName}.reset: seed must be an integer >= 0, got ${String(seed)}`);
    }
    return new Rng(seed);
  }
  return current ?? new Rng(entropySeed());
}
