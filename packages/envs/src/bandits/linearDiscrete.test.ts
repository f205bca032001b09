import { ConfigError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { LinearDiscreteEnv } from './linearDiscrete.js';

function dot(a: readonly number[], b: ArrayLike<number>): number {
  return a.reduce((sum, v, i) => sum + v * (b[i] as number), 0);
}

const THETAS = [
  [1, 0, 0],
  [0, 1, 0],
  [0.6, 0, 0.8],
];

describe('LinearDiscreteEnv', () => {
  it("has RLlib's defaults: 8 features, 4 arms, unit-norm arm parameters, noise 0.01, contexts N(0, 1/9)", () => {
    const env = new LinearDiscreteEnv();
    expect([env.featureDim, env.numActions, env.rewardNoiseStd, env.contextStd]).toEqual([8, 4, 0.01, 1 / 3]);
    expect(env.thetas).toHaveLength(4);
    for (const row of env.thetas) {
      expect(row).toHaveLength(8);
      expect(Math.hypot(...row)).toBeCloseTo(1, 14);
      for (const v of row) expect(Math.abs(v)).toBeLessThan(1);
    }
    expect(env.observationSpace.toString()).toBe('Box(-10, 10, (8,), float32)');
  });

  it('gives every env of one thetaSeed the same arms, whatever the reset seed, and another thetaSeed other arms', () => {
    const a = new LinearDiscreteEnv();
    const b = new LinearDiscreteEnv({ thetaSeed: 0 });
    b.reset({ seed: 99 });
    expect(b.thetas).toEqual(a.thetas);
    expect(new LinearDiscreteEnv({ thetaSeed: 1 }).thetas).not.toEqual(a.thetas);
    expect(new LinearDiscreteEnv({ featureDim: 3, numActions: 2 }).thetas.map((r) => r.length)).toEqual([3, 3]);
  });

  it('pays θₐᵀx exactly without noise, with regret maxⱼ θⱼᵀx − θₐᵀx and the argmax as optAction', () => {
    const env = new LinearDiscreteEnv({ thetas: THETAS, rewardNoiseStd: 0 });
    expect([env.featureDim, env.numActions]).toEqual([3, 3]);
    let obs = env.reset({ seed: 4 }).obs;
    const seenOpt = new Set<number>();
    for (let t = 0; t < 300; t++) {
      const arm = t % 3;
      const means = THETAS.map((theta) => dot(theta, obs));
      const best = Math.max(...means);
      const { reward, info, obs: next } = env.step(arm);
      expect(reward).toBe(means[arm]);
      expect(info.regret).toBe(best - (means[arm] as number));
      expect(info.optAction).toBe(means.indexOf(best));
      seenOpt.add(info.optAction as number);
      obs = next;
    }
    expect([...seenOpt].sort()).toEqual([0, 1, 2]);
  });

  it('adds N(0, σ²) noise to the reward but not to the regret', () => {
    const sigma = 0.05;
    const env = new LinearDiscreteEnv({ thetas: THETAS, rewardNoiseStd: sigma });
    const n = 20_000;
    let obs = env.reset({ seed: 8 }).obs;
    let sum = 0;
    let squares = 0;
    for (let t = 0; t < n; t++) {
      const arm = t % 3;
      const means = THETAS.map((theta) => dot(theta, obs));
      const { reward, info, obs: next } = env.step(arm);
      expect(info.regret).toBe(Math.max(...means) - (means[arm] as number));
      const noise = reward - (means[arm] as number);
      sum += noise;
      squares += noise * noise;
      obs = next;
    }
    const mean = sum / n;
    const std = Math.sqrt(squares / n - mean * mean);
    expect(Math.abs(mean)).toBeLessThan((5 * sigma) / Math.sqrt(n));
    // The sample std of n normals has relative standard error 1/√(2n) = 0.5%.
    expect(Math.abs(std / sigma - 1)).toBeLessThan(0.025);
  });

  it('draws context entries independently from N(0, contextStd²)', () => {
    const env = new LinearDiscreteEnv({ contextStd: 0.5, featureDim: 4 });
    const n = 10_000;
    const sums = [0, 0, 0, 0];
    const squares = [0, 0, 0, 0];
    let cross = 0;
    for (let i = 0; i < n; i++) {
      const { obs } = env.reset(i === 0 ? { seed: 2 } : undefined);
      obs.forEach((v, j) => {
        sums[j] = (sums[j] as number) + v;
        squares[j] = (squares[j] as number) + v * v;
      });
      cross += (obs[0] as number) * (obs[1] as number);
    }
    for (let j = 0; j < 4; j++) {
      expect(Math.abs((sums[j] as number) / n)).toBeLessThan((5 * 0.5) / Math.sqrt(n));
      expect(Math.abs(Math.sqrt((squares[j] as number) / n) / 0.5 - 1)).toBeLessThan(0.04);
    }
    expect(Math.abs(cross / n)).toBeLessThan((5 * 0.25) / Math.sqrt(n));
  });

  it('checks its options and names what is wrong', () => {
    expect(() => new LinearDiscreteEnv({ featureDim: 0 })).toThrow(/envConfig\.featureDim must be an integer >= 1, got 0/);
    expect(() => new LinearDiscreteEnv({ numActions: 2.5 })).toThrow(ConfigError);
    expect(() => new LinearDiscreteEnv({ rewardNoiseStd: -1 })).toThrow(/rewardNoiseStd must be a finite number >= 0, got -1/);
    expect(() => new LinearDiscreteEnv({ contextStd: 2 })).toThrow(/contextStd must be a number in \[0, 1\], got 2/);
    expect(() => new LinearDiscreteEnv({ thetas: [[1, 2], [3]] })).toThrow(/envConfig\.thetas must be a non-empty array of equally long/);
    expect(() => new LinearDiscreteEnv({ thetas: [[1, Number.NaN]] })).toThrow(/thetas must be .*got \[\[1,NaN\]\]/);
    expect(() => new LinearDiscreteEnv({ thetas: THETAS, featureDim: 8 })).toThrow(
      /envConfig\.featureDim is 8 but envConfig\.thetas is 3 × 3 \(arms × features\)/,
    );
    expect(() => new LinearDiscreteEnv({ thetas: THETAS, thetaSeed: 1 })).toThrow(
      /give envConfig\.thetas or envConfig\.thetaSeed, not both/,
    );
  });
});
