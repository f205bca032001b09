import { createRng, DEFAULT_ENV_CONTEXT, type EnvContext, type Rng } from '@loomrl/core';

/**
 * The three random streams of a RecSim environment. RecSim draws users and documents from private
 * sampler streams and all behaviour (clicks, noise, coin flips) from numpy's global stream; here the
 * global stream is replaced by an explicit, seeded `behaviour` stream.
 */
export interface RecSimStreams {
  /** Draws users (the user sampler's stream). */
  readonly user: Rng;
  /** Draws documents (the document sampler's stream). */
  readonly document: Rng;
  /** Draws choices, engagement noise and state-update noise. */
  readonly behaviour: Rng;
}

/**
 * Streams derived from (seed, worker index, env index, purpose), so that every sampler sees the seed
 * (RLlib's LTS ignores it) and sub-envs of a vector get different users.
 */
export function createRecSimStreams(seed: number | string, context: EnvContext = DEFAULT_ENV_CONTEXT): RecSimStreams {
  const where = [context.workerIndex, context.vectorIndex] as const;
  return {
    user: createRng(seed, 'recsim', ...where, 'userSampler'),
    document: createRng(seed, 'recsim', ...where, 'documentSampler'),
    behaviour: createRng(seed, 'recsim', ...where, 'behaviour'),
  };
}
