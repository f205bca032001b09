import { createRng, type Rng } from '@loomrl/core';
import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from '../types.js';
import { recoGymAction } from './action.js';
import { type RecoGymAgentBaseOptions, resolveAgentOptions } from './options.js';

/** RecoGym's `RandomAgent`: a uniform product, ps = 1/P, from its own stream that continues across users. */
export class RecoGymRandomAgent implements RecoGymAgent {
  private readonly numProducts: number;
  private readonly withPsAll: boolean;
  private readonly rng: Rng;

  /** A uniform agent over `numProducts` products. */
  constructor(options: RecoGymAgentBaseOptions = {}) {
    const resolved = resolveAgentOptions('RecoGymRandomAgent', options, []);
    this.numProducts = resolved.numProducts;
    this.withPsAll = resolved.withPsAll;
    this.rng = createRng(resolved.randomSeed, 'recogym-agent', 'random');
  }

  act(observation: RecoGymObservation): RecoGymAction {
    const p = this.numProducts;
    const a = this.rng.int(p);
    return recoGymAction(observation, a, 1 / p, this.withPsAll ? new Array<number>(p).fill(1 / p) : undefined);
  }

  train(): void {}

  reset(): void {}
}
