import type { Rng } from '@loomrl/core';

/** A user's clock (RecoGym's time generator): restarts at 0 per user and gives the next time at every transition. */
export interface RecoGymClock {
  /** Restarts the clock; returns the start time (0). */
  reset(): number;
  /** The time after one more transition. */
  next(): number;
}

/** A clock that restarts at 0 and advances by `increment()` at every transition. */
function incrementingClock(increment: () => number): RecoGymClock {
  let now = 0;
  return {
    reset: () => {
      now = 0;
      return now;
    },
    next: () => {
      now += increment();
      return now;
    },
  };
}

/** The default clock: one tick per transition. */
export function unitClock(): RecoGymClock {
  return incrementingClock(() => 1);
}

/**
 * RecoGym's `NormalTimeGenerator`: each transition adds |N(mu, sigma²)|. It draws from its own
 * stream, which is never re-seeded (not per user, not by `resetRandomSeed`), as in RecoGym.
 */
export function normalClock(rng: Rng, mu: number, sigma: number): RecoGymClock {
  return incrementingClock(() => Math.abs(mu + sigma * rng.normal()));
}
