import { type BoxArray, type Discrete, type Env, LinearArms, Rng } from '@loomrl/core';
import { LinearDiscreteEnv, SimpleContextualBanditEnv } from '@loomrl/envs';
import { describe, expect, it } from 'vitest';

describe('LinearArms on the bandit test envs', () => {
  type Strategy = 'ucb' | 'thompson' | 'random';

  /** Regret per step of `steps` one-step episodes of `env`, acting by `strategy` and learning from every step. */
  function regrets(env: Env<BoxArray, number>, steps: number, strategy: Strategy, alpha = 1): number[] {
    const numArms = (env.actionSpace as Discrete).n;
    const arms = new LinearArms({ numArms, featureDim: env.observationSpace.flatDim, alpha });
    const rng = new Rng(`linear-arms/${strategy}`);
    const one = new Float32Array(1);
    let obs = env.reset({ seed: 21 }).obs as Float32Array;
    const out: number[] = [];
    for (let t = 0; t < steps; t++) {
      if (strategy === 'random') one[0] = rng.int(numArms);
      else if (strategy === 'ucb') arms.selectUcb(obs, 1, one);
      else arms.selectThompson(obs, 1, rng, one);
      const arm = one[0] as number;
      const result = env.step(arm);
      out.push(result.info.regret as number);
      arms.update(obs, [arm], [result.reward]);
      obs = env.reset().obs as Float32Array;
    }
    return out;
  }
  const sum = (values: number[]): number => values.reduce((p, v) => p + v, 0);

  it('pulls only the best arm of SimpleContextualBandit after its first 50 steps, with LinUCB and LinTS', () => {
    for (const strategy of ['ucb', 'thompson'] as const) {
      const perStep = regrets(new SimpleContextualBanditEnv(), 150, strategy);
      expect(sum(perStep.slice(50)), strategy).toBe(0);
    }
    expect(sum(regrets(new SimpleContextualBanditEnv(), 150, 'random').slice(50))).toBeGreaterThan(500);
  });

  it('keeps the 5000-step cumulative regret on LinearDiscrete below 5% of a random policy (LinUCB, and LinTS with α = 0.5)', () => {
    const random = sum(regrets(new LinearDiscreteEnv(), 5000, 'random'));
    const ucb = sum(regrets(new LinearDiscreteEnv(), 5000, 'ucb'));
    const thompson = sum(regrets(new LinearDiscreteEnv(), 5000, 'thompson'));
    const thompsonHalf = sum(regrets(new LinearDiscreteEnv(), 5000, 'thompson', 0.5));
    // Measured (seeds 1, 2, 3, 21): LinUCB 0.4–0.6% of random; LinTS 9–10% with α = 1 (its posterior
    // assumes reward noise 1, the env's is 0.01), 3.5–3.8% with α = 0.5.
    expect(random).toBeGreaterThan(1500);
    expect(ucb).toBeLessThan(0.05 * random);
    expect(thompsonHalf).toBeLessThan(0.05 * random);
    expect(thompson).toBeLessThan(0.15 * random);
  });
});
