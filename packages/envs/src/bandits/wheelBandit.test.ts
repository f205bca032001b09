import { ConfigError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { WheelBanditEnv } from './wheelBandit.js';

const MU = { mu1: 1.2, mu2: 1, mu3: 50 };

/** The wheel's noise-free reward of `arm` at context (x, y), written out from the paper's definition. */
function wheelMean(x: number, y: number, arm: number, delta: number): number {
  if (Math.sqrt(x * x + y * y) < delta) return arm === 0 ? MU.mu1 : MU.mu2;
  const quadrant = x > 0 && y > 0 ? 1 : x <= 0 && y > 0 ? 2 : x <= 0 && y <= 0 ? 3 : 4;
  if (arm === quadrant) return MU.mu3;
  return arm === 0 ? MU.mu1 : MU.mu2;
}

describe('WheelBanditEnv', () => {
  it("has RLlib's defaults: δ 0.5, μ 1.2 / 1 / 50, σ 0.01, 5 arms, contexts in the unit disk", () => {
    const env = new WheelBanditEnv();
    expect([env.delta, env.means, env.mu3, env.std]).toEqual([0.5, [1.2, 1, 1, 1, 1], 50, 0.01]);
    expect(env.actionSpace.n).toBe(5);
    expect(env.observationSpace.toString()).toBe('Box(-1, 1, (2,), float32)');
  });

  it.each([0.5, 0.9])('pays the wheel rewards exactly without noise (δ %s), with regret best − chosen', (delta) => {
    const env = new WheelBanditEnv({ delta, std: 0 });
    let obs = env.reset({ seed: 3 }).obs;
    const seenOpt = new Set<number>();
    for (let t = 0; t < 1000; t++) {
      const arm = t % 5;
      const [x, y] = [obs[0] as number, obs[1] as number];
      const means = [0, 1, 2, 3, 4].map((a) => wheelMean(x, y, a, delta));
      const best = Math.max(...means);
      const { reward, info, obs: next } = env.step(arm);
      expect(reward).toBe(means[arm]);
      expect(info.optAction).toBe(means.indexOf(best));
      expect(info.regret).toBeCloseTo(best - (means[arm] as number), 12);
      seenOpt.add(info.optAction as number);
      obs = next;
    }
    expect([...seenOpt].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('draws contexts uniformly in the unit disk: area fractions of the inner disk and of each quadrant', () => {
    const env = new WheelBanditEnv();
    const n = 20_000;
    let inner = 0;
    const quadrants = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const { obs } = env.reset(i === 0 ? { seed: 5 } : undefined);
      const [x, y] = [obs[0] as number, obs[1] as number];
      expect(Math.hypot(x, y)).toBeLessThanOrEqual(1);
      if (Math.hypot(x, y) < 0.5) inner += 1;
      const q = (x > 0 ? 0 : 1) + (y > 0 ? 0 : 2);
      quadrants[q] = (quadrants[q] as number) + 1;
    }
    const tolerance = (p: number): number => 5 * Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(inner / n - 0.25)).toBeLessThan(tolerance(0.25));
    for (const count of quadrants) expect(Math.abs(count / n - 0.25)).toBeLessThan(tolerance(0.25));
  });

  it("reports RLlib's realised regret: 0 for the best arm, the drawn rewards' difference otherwise", () => {
    const env = new WheelBanditEnv({ std: 0.1 });
    env.reset({ seed: 9 });
    let bigRegrets = 0;
    for (let t = 0; t < 2000; t++) {
      const context = env.context as Float32Array;
      const outside = Math.hypot(context[0] as number, context[1] as number) >= 0.5;
      const arm = t % 5;
      const { reward, info } = env.step(arm);
      if (arm === info.optAction) expect(info.regret).toBe(0);
      else if (outside) {
        // The chosen arm paid about mu2 or mu1, the quadrant's arm about 50.
        expect(info.regret).toBeGreaterThan(48 - 1);
        expect(reward).toBeLessThan(2);
        bigRegrets += 1;
      } else expect(Math.abs((info.regret as number) - 0.2)).toBeLessThan(5 * Math.SQRT2 * 0.1); // mu1 − mu2 ± noise of two draws
    }
    expect(bigRegrets).toBeGreaterThan(1000);
  });

  it('checks its options and names what is wrong', () => {
    expect(() => new WheelBanditEnv({ delta: 1.5 })).toThrow(ConfigError);
    expect(() => new WheelBanditEnv({ delta: 1.5 })).toThrow(/WheelBandit: envConfig\.delta must be a number in \[0, 1\], got 1\.5/);
    expect(() => new WheelBanditEnv({ std: -0.1 })).toThrow(/envConfig\.std must be a finite number >= 0, got -0\.1/);
    expect(() => new WheelBanditEnv({ mu3: Number.POSITIVE_INFINITY })).toThrow(/envConfig\.mu3 must be a finite number, got Infinity/);
  });
});
