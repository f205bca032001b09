import type { RecoGymObservation } from '../types.js';

/**
 * The organic view counts of one user (RecoGym's `ViewsFeaturesProvider`): fed every observation
 * of the user, cleared per user. It also notices a change of user id and clears itself then.
 */
export class RecoGymViewCounts {
  /** counts[v] = how many times the current user viewed product v. */
  readonly counts: Float64Array;
  /** Σ counts. */
  total = 0;
  /** The products with a non-zero count, in order of first view. */
  readonly viewed: number[] = [];
  private user: number | null = null;

  /** Counts over `numProducts` products. */
  constructor(readonly numProducts: number) {
    this.counts = new Float64Array(numProducts);
  }

  /** Adds the observation's page views; returns true when it had any. */
  observe(observation: RecoGymObservation): boolean {
    if (this.user !== null && observation.context.user !== this.user) this.reset();
    this.user = observation.context.user;
    for (const event of observation.sessions) {
      if (event.v >= 0 && event.v < this.numProducts) {
        if (this.counts[event.v] === 0) this.viewed.push(event.v);
        this.counts[event.v] = (this.counts[event.v] ?? 0) + 1;
        this.total++;
      }
    }
    return observation.sessions.length > 0;
  }

  /** Forgets the current user. */
  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.viewed.length = 0;
    this.user = null;
  }
}
