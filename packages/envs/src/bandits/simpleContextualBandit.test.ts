import { describe, expect, it } from 'vitest';
import { SimpleContextualBanditEnv } from './simpleContextualBandit.js';

/** An env whose current context is `[c, −c]`, found by trying seeds (reset is deterministic per seed). */
function envInContext(c: 1 | -1): SimpleContextualBanditEnv {
  const env = new SimpleContextualBanditEnv();
  for (let seed = 0; ; seed++) if (env.reset({ seed }).obs[0] === c) return env;
}

describe('SimpleContextualBanditEnv', () => {
  it.each([
    [1, 0, 10, 0],
    [1, 1, 0, 10],
    [1, 2, -10, 20],
    [-1, 0, -10, 20],
    [-1, 1, 0, 10],
    [-1, 2, 10, 0],
  ] as const)("in context %i arm %i pays %i with regret %i (RLlib's table)", (c, arm, reward, regret) => {
    const result = envInContext(c).step(arm);
    expect(result.reward).toBe(reward);
    expect(result.info).toEqual({ regret, optAction: c === 1 ? 0 : 2 });
    expect(result.terminated).toBe(true);
  });

  it('observes [c, −c], returns the other context after a step and scores a further step on it', () => {
    const env = envInContext(1);
    expect(env.context).toEqual(Float32Array.of(1, -1));
    const first = env.step(0);
    expect(first.obs).toEqual(Float32Array.of(-1, 1));
    expect(env.context).toEqual(Float32Array.of(-1, 1));
    expect(env.step(0).reward).toBe(-10);
  });

  it('draws both contexts with probability 1/2', () => {
    const env = new SimpleContextualBanditEnv();
    const n = 4000;
    let positive = 0;
    for (let i = 0; i < n; i++) {
      const { obs } = env.reset(i === 0 ? { seed: 7 } : undefined);
      expect(Math.abs(obs[0] as number)).toBe(1);
      expect(obs[1]).toBe(-(obs[0] as number));
      if (obs[0] === 1) positive += 1;
    }
    // Binomial(4000, 1/2): standard deviation 31.6; 5 of them either side.
    expect(Math.abs(positive - n / 2)).toBeLessThan(5 * Math.sqrt(n / 4));
  });

  it('earns 10 per episode for the best arm and 0 on average for a uniformly random one', () => {
    const env = new SimpleContextualBanditEnv();
    let best = 0;
    let cycled = 0;
    let obs = env.reset({ seed: 1 }).obs;
    for (let t = 0; t < 300; t++) {
      best += env.step((obs[0] as number) > 0 ? 0 : 2).reward;
      obs = env.reset().obs;
      cycled += env.step(t % 3).reward;
      obs = env.reset().obs;
    }
    expect(best / 300).toBe(10);
    expect(Math.abs(cycled / 300)).toBeLessThan(2);
  });
});
