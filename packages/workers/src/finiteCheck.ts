import { EnvError } from '@loomrl/core';

/** Where a sampler's bad value came from, for the error message. */
export interface ValueOrigin {
  readonly envId: string;
  readonly workerIndex: number;
  readonly envIndex: number;
  /** 1-based step of the episode that produced the value (0 = the reset observation). */
  readonly episodeStep: number;
}

/** The `EnvError` for a NaN or ±Infinity an env returned: names the env, worker, sub-env, step, component and value. */
export function nonFiniteValueError(
  what: 'observation' | 'reward',
  component: number | null,
  value: number,
  origin: ValueOrigin,
): EnvError {
  const when = origin.episodeStep === 0 ? 'reset()' : `step ${origin.episodeStep} of its episode`;
  const name = component === null ? what : `${what}[${component}]`;
  return new EnvError(
    `env "${origin.envId}" (worker ${origin.workerIndex}, sub-env ${origin.envIndex}) returned ${name} = ${value} at ${when}; ` +
      'observations and rewards must be finite numbers (NaN and Infinity would train silently into NaN weights).',
  );
}
