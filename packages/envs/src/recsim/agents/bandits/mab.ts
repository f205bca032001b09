import { ConfigError, createRng, DataError, type Rng } from '@loomrl/core';
import { sampleBeta } from './betaSampler.js';

/** Parameters every bandit algorithm takes (RecSim's `params` dict; each entry overrides the attribute). */
export interface MABParams {
  /** Scales the confidence width; < 1 explores less (Hsu et al., arXiv 1904.02664). Default 1. */
  readonly optimismScaling?: number;
}

/**
 * A multi-armed bandit algorithm over `numArms` arms with rewards in [0, 1] (RecSim's
 * `MABAlgorithm`): pull counts and reward sums per arm, a private seeded stream, and an index per
 * arm (`getScore(t)`); `getArm(t)` is the first arm with the highest index.
 */
export abstract class MABAlgorithm {
  readonly numArms: number;
  /** Pulls per arm. */
  readonly pulls: Float64Array;
  /** Reward sums per arm. */
  readonly reward: Float64Array;
  readonly optimismScaling: number;
  protected readonly rng: Rng;

  /** An algorithm with no pulls; fewer than 2 arms is a `ConfigError`. */
  constructor(numArms: number, params: MABParams = {}, seed: number | string = 0) {
    if (!Number.isInteger(numArms) || numArms < 2) {
      throw new ConfigError(`${this.constructor.name}: a bandit needs at least 2 arms, got numArms = ${numArms}.`);
    }
    this.numArms = numArms;
    this.pulls = new Float64Array(numArms);
    this.reward = new Float64Array(numArms);
    this.optimismScaling = params.optimismScaling ?? 1;
    this.rng = createRng(seed, 'mab');
  }

  /** Replaces the pull counts and reward sums (a length other than `numArms` is a `DataError`). */
  setState(pulls: ArrayLike<number>, reward: ArrayLike<number>): void {
    if (pulls.length !== this.numArms || reward.length !== this.numArms) {
      throw new DataError(
        `${this.constructor.name}.setState: expected ${this.numArms} pull counts and reward sums, got ${pulls.length} and ${reward.length}.`,
      );
    }
    this.pulls.set(Array.from(pulls));
    this.reward.set(Array.from(reward));
  }

  /** Records reward `r` ∈ [0, 1] for `arm` (anything else is a `DataError`). */
  update(arm: number, r: number): void {
    if (!Number.isInteger(arm) || arm < 0 || arm >= this.numArms) {
      throw new DataError(`${this.constructor.name}.update: arm ${arm} is not in [0, ${this.numArms}).`);
    }
    if (!(r >= 0 && r <= 1)) throw new DataError(`${this.constructor.name}.update: reward ${r} is not in [0, 1].`);
    this.pulls[arm] = (this.pulls[arm] as number) + 1;
    this.reward[arm] = (this.reward[arm] as number) + r;
  }

  /** The index of every arm at time `t` (total pulls). */
  abstract getScore(t: number): Float64Array;

  /** The first arm with the highest index. */
  getArm(t: number): number {
    const scores = this.getScore(t);
    let best = 0;
    for (let k = 1; k < scores.length; k++) if ((scores[k] as number) > (scores[best] as number)) best = k;
    return best;
  }

  /** +∞ for unpulled arms and 0 for the others, or `null` when every arm was pulled. */
  protected unpulledFirst(): Float64Array | null {
    if (this.pulls.every((n) => n > 0)) return null;
    return Float64Array.from(this.pulls, (n) => (n === 0 ? Number.POSITIVE_INFINITY : 0));
  }
}

/** UCB1 (Auer et al. 2002): mean + c·√(2 ln t / pulls); unpulled arms first. */
export class UCB1 extends MABAlgorithm {
  getScore(t: number): Float64Array {
    const unpulled = this.unpulledFirst();
    if (unpulled !== null) return unpulled;
    const width = this.optimismScaling * Math.sqrt(2 * Math.log(t));
    return Float64Array.from(this.pulls, (n, k) => (this.reward[k] as number) / n + width * Math.sqrt(1 / n));
  }
}

/** The Bernoulli KL divergence d(p, q) = p ln(p/q) + (1−p) ln((1−p)/(1−q)) (terms with p = 0 or 1 vanish). */
export function bernoulliKl(p: number, q: number): number {
  const a = p === 0 ? 0 : p * Math.log(p / q);
  const b = p === 1 ? 0 : (1 - p) * Math.log((1 - p) / (1 - q));
  return a + b;
}

/**
 * KL-UCB (Garivier & Cappé 2011): the largest q ∈ [p̂, 1] with d(p̂, q) ≤ c²·(ln t + 3 ln ln t)/pulls,
 * found by 32 bisection steps. RecSim's version aliases its lower bound with p̂ (recsim.agents
 * .bandits.algorithms), which makes its index far too optimistic; this is the intended KL-UCB.
 */
export class KLUCB extends MABAlgorithm {
  getScore(t: number): Float64Array {
    const unpulled = this.unpulledFirst();
    if (unpulled !== null) return unpulled;
    const c2 = this.optimismScaling ** 2;
    const logT = Math.log(t);
    const budget = c2 * (logT + 3 * Math.log(Math.max(logT, Number.MIN_VALUE)));
    return Float64Array.from(this.pulls, (n, k) => {
      const p = (this.reward[k] as number) / n;
      const delta = Math.max(0, budget) / n;
      let lo = p;
      let hi = 1;
      for (let i = 0; i < 32; i++) {
        const q = (lo + hi) / 2;
        if (bernoulliKl(p, q) <= delta) lo = q;
        else hi = q;
      }
      return lo;
    });
  }
}

/**
 * Thompson sampling with a Beta(1, 1) prior: one Beta(1 + reward/s², 1 + (pulls − reward)/s²) draw
 * per arm (s = `optimismScaling`); fractional rewards are turned into Bernoulli draws on update.
 * One seeded stream for the algorithm's life (RecSim re-seeds it every time the layer rebuilds it).
 */
export class ThompsonSampling extends MABAlgorithm {
  getScore(_t: number): Float64Array {
    const s2 = this.optimismScaling ** 2;
    return Float64Array.from(this.pulls, (n, k) => {
      const r = this.reward[k] as number;
      return sampleBeta(1 + r / s2, 1 + (n - r) / s2, this.rng);
    });
  }

  override update(arm: number, r: number): void {
    const reward = r > 0 && r < 1 ? (this.rng.random() < r ? 1 : 0) : r;
    super.update(arm, reward);
  }
}

/** Builds a bandit algorithm (the `alg_ctor` of RecSim's bandit agents). */
export type MABAlgorithmFactory = (numArms: number, params: MABParams, seed: number | string) => MABAlgorithm;

/** The stock algorithms by RecSim's class names. */
export const MAB_ALGORITHMS: Readonly<Record<'UCB1' | 'KLUCB' | 'ThompsonSampling', MABAlgorithmFactory>> = {
  UCB1: (n, p, s) => new UCB1(n, p, s),
  KLUCB: (n, p, s) => new KLUCB(n, p, s),
  ThompsonSampling: (n, p, s) => new ThompsonSampling(n, p, s),
};
