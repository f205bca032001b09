import type { RecoGymObservation } from '../types.js';

/**
 * The product a user viewed last, kept across observations (RecoGym's `update_lpv`): an
 * observation with page views moves it to the last of them; one without leaves it. Before any
 * view it is product 0 (RecoGym's `None` would index a new axis).
 */
export class RecoGymLastViewed {
  /** The last viewed product. */
  product = 0;

  /** Moves to `observation`'s last page view, when it has one. */
  observe(observation: RecoGymObservation): void {
    const last = observation.sessions.at(-1);
    if (last !== undefined) this.product = last.v;
  }
}
