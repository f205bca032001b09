import { createRng, type Rng } from '@loomrl/core';
import { drawFromWeights } from '../draws.js';
import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from '../types.js';
import { recoGymAction } from './action.js';
import { checkRange, type RecoGymAgentBaseOptions, resolveAgentOptions } from './options.js';
import { RecoGymViewCounts } from './viewCounts.js';

/** Options of `RecoGymOrganicUserEventCounterAgent` (RecoGym's `organic_user_count_args`). */
export interface RecoGymOrganicUserEventCounterOptions extends RecoGymAgentBaseOptions {
  /** Sample from the distribution (true, default) or take its argmax with ps = 1. */
  readonly selectRandomly?: boolean;
  /** Exploration rate. Default 0. */
  readonly epsilon?: number;
  /** With probability epsilon recommend uniformly among unseen products (true, default); else p ∝ counts + epsilon. */
  readonly exploitExplore?: boolean;
  /** Without exploitExplore: use normalise(1 − p) instead of p. Default false. */
  readonly reversePop?: boolean;
}

/**
 * RecoGym's `OrganicUserEventCounterAgent`, a personalised popularity agent: it recommends in
 * proportion to **this user's** organic view counts so far. `train` does not change the policy.
 */
export class RecoGymOrganicUserEventCounterAgent implements RecoGymAgent {
  private readonly views: RecoGymViewCounts;
  private readonly withPsAll: boolean;
  private readonly selectRandomly: boolean;
  private readonly epsilon: number;
  private readonly exploitExplore: boolean;
  private readonly reversePop: boolean;
  private readonly rng: Rng;
  private readonly probs: Float64Array;

  /** An organic user event counter over `numProducts` products. */
  constructor(options: RecoGymOrganicUserEventCounterOptions = {}) {
    const name = 'RecoGymOrganicUserEventCounterAgent';
    const resolved = resolveAgentOptions(name, options, ['selectRandomly', 'epsilon', 'exploitExplore', 'reversePop']);
    this.views = new RecoGymViewCounts(resolved.numProducts);
    this.probs = new Float64Array(resolved.numProducts);
    this.withPsAll = resolved.withPsAll;
    this.selectRandomly = options.selectRandomly ?? true;
    this.epsilon = checkRange(name, 'epsilon', options.epsilon ?? 0, 0, 1);
    this.exploitExplore = options.exploitExplore ?? true;
    this.reversePop = options.reversePop ?? false;
    this.rng = createRng(resolved.randomSeed, 'recogym-agent', 'organic-user-count');
  }

  act(observation: RecoGymObservation): RecoGymAction {
    this.views.observe(observation);
    const scale = this.fillDistribution();
    const p = this.probs;
    let a: number;
    let ps: number;
    if (this.selectRandomly) {
      a = drawFromWeights(this.rng, p, 1);
      ps = scale * (p[a] ?? 0);
    } else {
      a = 0;
      for (let i = 1; i < p.length; i++) if ((p[i] ?? 0) > (p[a] ?? 0)) a = i;
      ps = 1;
    }
    return recoGymAction(observation, a, ps, this.withPsAll ? p.map((x) => x * scale) : undefined);
  }

  /** Writes the action distribution into `probs`; returns the factor that turns it into propensities. */
  private fillDistribution(): number {
    const { counts, total } = this.views;
    const p = this.probs;
    const n = p.length;
    if (this.exploitExplore) {
      const explore = this.rng.random() < this.epsilon;
      if (explore) {
        let unseen = 0;
        for (let i = 0; i < n; i++) unseen += counts[i] === 0 ? 1 : 0;
        for (let i = 0; i < n; i++) p[i] = unseen === 0 ? 1 / n : counts[i] === 0 ? 1 / unseen : 0;
        return this.epsilon;
      }
      for (let i = 0; i < n; i++) p[i] = total > 0 ? (counts[i] ?? 0) / total : 1 / n;
      return 1 - this.epsilon;
    }
    const sum = total + this.epsilon * n;
    for (let i = 0; i < n; i++) p[i] = sum > 0 ? ((counts[i] ?? 0) + this.epsilon) / sum : 1 / n;
    if (this.reversePop) {
      let reversedSum = 0;
      for (let i = 0; i < n; i++) reversedSum += 1 - (p[i] ?? 0);
      for (let i = 0; i < n; i++) p[i] = reversedSum > 0 ? (1 - (p[i] ?? 0)) / reversedSum : 1 / n;
    }
    return 1;
  }

  train(): void {}

  reset(): void {
    this.views.reset();
  }
}
