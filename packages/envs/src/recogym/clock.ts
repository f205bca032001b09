import type { Rng } from '@loomrl/core';

/** A user's clock (RecoGym's time generator): restarts at 0 per user and gives the next time at every transition. */
export interface RecoGymClock {
  /** Restarts the clock; returns the start time (0). */
  reset(): number;
  /** The time after one more transition. */
  next(): number;
}

/** The default clock: one tick per transition. */
export function unitClock(): RecoGymClock {
  let now = 0;
  return {
    reset: () => {
      now = 0;
      return now;
    },
    next: () => {
      now += 1;
      return now;
    },
  };
}

/**
 * RecoGym's `NormalTimeGenerator`: each transition adds |N(mu, sigma²)|. It draws from its own
 * stream, which is never re-seeded (not per user, not by `resetRandomSeed`), as in RecoGym.
 */
export function normalClock(rng: Rng, mu: number, sigma: number): RecoGymClock {
  let now = 0;
  return {
    reset: () => {
      now = 0;
      return now;
    },
    next: () => {
      now += Math.abs(mu + sigma * rng.normal());
      return now;
    },
  };
}
