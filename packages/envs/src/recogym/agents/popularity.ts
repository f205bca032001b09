import { createRng, type Rng } from '@loomrl/core';
import { drawFromWeights } from '../draws.js';
import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from '../types.js';
import { recoGymAction } from './action.js';
import { type RecoGymAgentBaseOptions, resolveAgentOptions } from './options.js';

/**
 * The Getting Started tutorial's popularity agent: `train` counts every organic view of every
 * training user (bandit data is ignored); `act` samples a product in proportion to those global
 * counts (uniform before any training), independent of the current user.
 */
export class RecoGymPopularityAgent implements RecoGymAgent {
  /** Global organic view counts. */
  readonly counts: Float64Array;
  private total = 0;
  private readonly withPsAll: boolean;
  private readonly rng: Rng;

  /** A popularity agent over `numProducts` products. */
  constructor(options: RecoGymAgentBaseOptions = {}) {
    const resolved = resolveAgentOptions('RecoGymPopularityAgent', options, []);
    this.counts = new Float64Array(resolved.numProducts);
    this.withPsAll = resolved.withPsAll;
    this.rng = createRng(resolved.randomSeed, 'recogym-agent', 'popularity');
  }

  act(observation: RecoGymObservation): RecoGymAction {
    const p = this.counts.length;
    const weights = this.total > 0 ? this.counts : new Float64Array(p).fill(1);
    const total = this.total > 0 ? this.total : p;
    const a = drawFromWeights(this.rng, weights, total);
    const probs = this.withPsAll ? Array.from(weights, (w) => w / total) : undefined;
    return recoGymAction(observation, a, (weights[a] ?? 0) / total, probs);
  }

  train(observation: RecoGymObservation): void {
    for (const event of observation.sessions) {
      if (event.v < 0 || event.v >= this.counts.length) continue;
      this.counts[event.v] = (this.counts[event.v] ?? 0) + 1;
      this.total++;
    }
  }

  reset(): void {}
}
