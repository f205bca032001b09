import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from '../types.js';
import { recoGymAction } from './action.js';
import { RecoGymLastViewed } from './lastViewed.js';
import { type RecoGymAgentBaseOptions, resolveAgentOptions } from './options.js';

/**
 * RecoGym's `OrganicCount`: organic co-occurrence counts. Every training observation's view-count
 * vector b adds b·bᵀ to a P×P matrix; `act` recommends the argmax of the row of the last viewed
 * product (kept across observations; first maximum) with `ps` = 1. The diagonal dominates, so it
 * often recommends the product just viewed.
 */
export class RecoGymOrganicCountAgent implements RecoGymAgent {
  readonly numProducts: number;
  /** cooccurrence[i · P + j] = Σ over training observations of b_i·b_j. */
  readonly cooccurrence: Float64Array;
  private readonly withPsAll: boolean;
  private readonly lastViewed = new RecoGymLastViewed();

  /** A co-occurrence counter over `numProducts` products. */
  constructor(options: RecoGymAgentBaseOptions = {}) {
    const resolved = resolveAgentOptions('RecoGymOrganicCountAgent', options, []);
    this.numProducts = resolved.numProducts;
    this.withPsAll = resolved.withPsAll;
    this.cooccurrence = new Float64Array(this.numProducts ** 2);
  }

  act(observation: RecoGymObservation, _reward: number | null = null, _done = false): RecoGymAction {
    this.lastViewed.observe(observation);
    const row = this.lastViewed.product * this.numProducts;
    let best = 0;
    for (let a = 1; a < this.numProducts; a++)
      if ((this.cooccurrence[row + a] as number) > (this.cooccurrence[row + best] as number)) best = a;
    const psA = this.withPsAll ? Array.from({ length: this.numProducts }, (_, a) => (a === best ? 1 : 0)) : undefined;
    return recoGymAction(observation, best, 1, psA);
  }

  train(observation: RecoGymObservation, _action: RecoGymAction | null = null, _reward: number | null = null, _done = false): void {
    const counts = new Map<number, number>();
    for (const event of observation.sessions) {
      if (event.v >= 0 && event.v < this.numProducts) counts.set(event.v, (counts.get(event.v) ?? 0) + 1);
    }
    for (const [i, bi] of counts) {
      for (const [j, bj] of counts) {
        const at = i * this.numProducts + j;
        this.cooccurrence[at] = (this.cooccurrence[at] as number) + bi * bj;
      }
    }
  }

  reset(): void {}
}
