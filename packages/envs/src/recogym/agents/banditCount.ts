import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from '../types.js';
import { recoGymAction } from './action.js';
import { RecoGymLastViewed } from './lastViewed.js';
import type { RecoGymAgentBaseOptions } from './options.js';
import { resolveAgentOptions } from './options.js';

/**
 * RecoGym's `BanditCount`: a table of Beta(1, 1)-smoothed click rates (clicks + 1)/(pulls + 2) per
 * (last viewed product, recommended product). `act` recommends the argmax of the last viewed
 * product's row (first maximum) with `ps` set to that click rate, as RecoGym does. Kept from
 * RecoGym: `train` credits the action to the product viewed last **before** the observation it
 * comes with, then moves on to that observation's views (an off-by-one of the original).
 */
export class RecoGymBanditCountAgent implements RecoGymAgent {
  readonly numProducts: number;
  /** pulls[viewed · P + recommended]. */
  readonly pulls: Float64Array;
  /** clicks[viewed · P + recommended]. */
  readonly clicks: Float64Array;
  private readonly withPsAll: boolean;
  private readonly acting = new RecoGymLastViewed();
  private readonly training = new RecoGymLastViewed();

  /** A bandit counter over `numProducts` products. */
  constructor(options: RecoGymAgentBaseOptions = {}) {
    const resolved = resolveAgentOptions('RecoGymBanditCountAgent', options, []);
    this.numProducts = resolved.numProducts;
    this.withPsAll = resolved.withPsAll;
    this.pulls = new Float64Array(this.numProducts ** 2);
    this.clicks = new Float64Array(this.numProducts ** 2);
  }

  /** The smoothed click rate of recommending `recommended` after a view of `viewed`. */
  ctr(viewed: number, recommended: number): number {
    const at = viewed * this.numProducts + recommended;
    return ((this.clicks[at] as number) + 1) / ((this.pulls[at] as number) + 2);
  }

  act(observation: RecoGymObservation, _reward: number | null = null, _done = false): RecoGymAction {
    this.acting.observe(observation);
    const viewed = this.acting.product;
    const rates = Array.from({ length: this.numProducts }, (_, a) => this.ctr(viewed, a));
    let best = 0;
    for (let a = 1; a < rates.length; a++) if ((rates[a] as number) > (rates[best] as number)) best = a;
    return recoGymAction(observation, best, rates[best] as number, this.withPsAll ? rates : undefined);
  }

  train(observation: RecoGymObservation, action: RecoGymAction | null, reward: number | null, _done = false): void {
    if (action === null || reward === null) {
      this.training.observe(observation);
      return;
    }
    const at = this.training.product * this.numProducts + action.a;
    this.training.observe(observation);
    this.pulls[at] = (this.pulls[at] as number) + 1;
    this.clicks[at] = (this.clicks[at] as number) + reward;
  }

  reset(): void {}
}
