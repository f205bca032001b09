import { ActionError, ConfigError, EnvError, makeEnv, type Wrapper } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { CartPoleEnv } from './cartPole.js';

/** The spec's CartPole equations (rllib-reference §9.3), written out independently of the env. */
function expectedCartPoleStep(state: readonly number[], action: number): number[] {
  const [x = 0, v = 0, th = 0, w = 0] = state;
  const g = 9.8;
  const mCart = 1.0;
  const mPole = 0.1;
  const l = 0.5;
  const tau = 0.02;
  const F = action === 1 ? 10 : -10;
  const M = mCart + mPole;
  const temp = (F + mPole * l * w ** 2 * Math.sin(th)) / M;
  const thAcc = (g * Math.sin(th) - Math.cos(th) * temp) / (l * (4 / 3 - (mPole * Math.cos(th) ** 2) / M));
  const xAcc = temp - (mPole * l * thAcc * Math.cos(th)) / M;
  return [x + tau * v, v + tau * xAcc, th + tau * w, w + tau * thAcc];
}

function expectFloat32Close(actual: Float32Array, expected: readonly number[]): void {
  expect(actual).toBeInstanceOf(Float32Array);
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => {
    expect(actual[i]).toBeCloseTo(value, 6);
    expect(Math.abs((actual[i] ?? 0) - Math.fround(value))).toBeLessThanOrEqual(Math.abs(value) * 2 ** -23);
  });
}

describe('CartPoleEnv', () => {
  it('follows the explicit-Euler cart-pole equations for one push to the right', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    const start = [0.01, -0.2, 0.05, 0.3];
    env.state = start;
    const { obs, reward, terminated, truncated } = env.step(1);
    const expected = expectedCartPoleStep(start, 1);
    expectFloat32Close(obs, expected);
    // Hand-computed for this start: temp = (10 + 0.05·0.09·sin 0.05)/1.1, etc.
    expect(expected[0]).toBeCloseTo(0.006, 12);
    expect(expected[2]).toBeCloseTo(0.056, 12);
    expect(env.state?.[1]).toBeCloseTo(expected[1] ?? 0, 12);
    expect(env.state?.[3]).toBeCloseTo(expected[3] ?? 0, 12);
    expect(reward).toBe(1);
    expect(terminated).toBe(false);
    expect(truncated).toBe(false);
  });

  it('pushes left with action 0 and right with action 1', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.state = [0, 0, 0, 0];
    const left = env.step(0).obs;
    env.state = [0, 0, 0, 0];
    const right = env.step(1).obs;
    expect(left[1]).toBeLessThan(0);
    expect(right[1]).toBeGreaterThan(0);
    expectFloat32Close(left, expectedCartPoleStep([0, 0, 0, 0], 0));
  });

  it('terminates CartPole when the pole passes 12 degrees, paying 1 then 0 after termination', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    const limit = (12 * 2 * Math.PI) / 360;
    env.state = [0, 0, limit - 0.001, 0.1]; // θ grows by 0.002 in one step
    const first = env.step(0); // pushing left tips the pole further right
    expect(first.terminated).toBe(true);
    expect(first.reward).toBe(1);
    const after = env.step(0);
    expect(after.terminated).toBe(true);
    expect(after.reward).toBe(0);
    expect(env.step(0).reward).toBe(0);
  });

  it('does not terminate while the pole stays within 12 degrees', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.state = [0, 0, -0.2, 0];
    expect(env.step(0).terminated).toBe(false);
  });

  it('terminates when the cart leaves [-2.4, 2.4]', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.state = [-2.399, -0.1, 0, 0];
    const { terminated, reward } = env.step(0);
    expect(terminated).toBe(true);
    expect(reward).toBe(1);
  });

  it('pays 1 again after a reset that follows termination', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.state = [2.399, 1, 0, 0];
    env.step(1);
    expect(env.step(1).reward).toBe(0);
    env.reset();
    env.state = [2.399, 1, 0, 0];
    expect(env.step(1).reward).toBe(1);
  });

  it('draws every reset state value from U(-0.05, 0.05), or from the low/high options', () => {
    const env = new CartPoleEnv();
    let min = Infinity;
    let max = -Infinity;
    for (let seed = 0; seed < 200; seed++) {
      const { obs } = env.reset({ seed });
      for (const v of obs) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    expect(min).toBeGreaterThanOrEqual(Math.fround(-0.05));
    expect(max).toBeLessThanOrEqual(Math.fround(0.05));
    expect(min).toBeLessThan(-0.045);
    expect(max).toBeGreaterThan(0.045);
    const { obs } = env.reset({ seed: 1, options: { low: 0.1, high: 0.2 } });
    for (const v of obs) expect(v >= Math.fround(0.1) && v <= Math.fround(0.2)).toBe(true);
    expect(() => env.reset({ options: { low: 0.3, high: 0.2 } })).toThrow(/low \(0\.3\) must be <= high \(0\.2\)/);
    expect(() => env.reset({ options: { lo: 0.1 } })).toThrow(/unknown option "lo".*low, high/);
  });

  it('gives the same start for the same seed and different starts for different seeds', () => {
    const a = new CartPoleEnv();
    const b = new CartPoleEnv();
    expect(a.reset({ seed: 42 }).obs).toEqual(b.reset({ seed: 42 }).obs);
    expect(a.reset({ seed: 43 }).obs).not.toEqual(b.reset({ seed: 42 }).obs);
    // An unseeded reset continues the stream: the same on both, but a new start.
    const nextA = a.reset().obs;
    b.reset({ seed: 43 });
    expect(b.reset().obs).toEqual(nextA);
    expect(nextA).not.toEqual(a.reset({ seed: 43 }).obs);
  });

  it('seeds itself from entropy on a first reset without a seed, and rejects seeds that are not integers >= 0', () => {
    const starts = new Set(Array.from({ length: 5 }, () => new CartPoleEnv().reset().obs.join(',')));
    expect(starts.size).toBe(5);
    expect(() => new CartPoleEnv().reset({ seed: -1 })).toThrow(/seed must be an integer >= 0, got -1/);
    expect(() => new CartPoleEnv().reset({ seed: 1.5 })).toThrow(EnvError);
  });

  it('rejects actions outside Discrete(2) with an ActionError naming the action and the space', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    for (const bad of [2, -1, 0.5, '1', Number.NaN]) {
      expect(() => env.step(bad as number)).toThrow(ActionError);
    }
    expect(() => env.step(2)).toThrow(/action 2 is not in the action space Discrete\(2\)/);
  });

  it('asks for reset() before the first step', () => {
    expect(() => new CartPoleEnv().step(0)).toThrow(EnvError);
    expect(() => new CartPoleEnv().step(0)).toThrow(/reset\(\) before step\(\)/);
  });

  it('rejects a bad state and any envConfig key', () => {
    const env = new CartPoleEnv();
    expect(() => {
      env.state = [0, 0, 0];
    }).toThrow(/4 finite numbers/);
    expect(() => new CartPoleEnv({ bogus: 1 } as never)).toThrow(ConfigError);
    expect(() => new CartPoleEnv({ bogus: 1 } as never)).toThrow(/"bogus".*takes no keys/);
  });

  it.each([
    ['CartPole-v1', 500],
    ['CartPole-v0', 200],
  ])('truncates %s at %i steps through makeEnv', (id, limit) => {
    const env = makeEnv<Float32Array, number>(id);
    const inner = (env as unknown as Wrapper).unwrapped as CartPoleEnv;
    env.reset({ seed: 3 });
    for (let t = 1; t <= limit; t++) {
      inner.state = [0, 0, 0, 0]; // keep the pole upright so only the time limit can end the episode
      const { terminated, truncated } = env.step(t % 2);
      expect(terminated).toBe(false);
      expect(truncated).toBe(t === limit);
    }
    expect(env.spec?.maxEpisodeSteps).toBe(limit);
  });

  it('ends random-action episodes by termination, not truncation', () => {
    const env = makeEnv<Float32Array, number>('CartPole-v1');
    env.reset({ seed: 7 });
    let steps = 0;
    for (;;) {
      steps += 1;
      const { terminated, truncated } = env.step(steps % 3 === 0 ? 0 : 1);
      if (terminated || truncated) {
        expect(terminated).toBe(true);
        expect(truncated).toBe(false);
        break;
      }
    }
    expect(steps).toBeLessThan(500);
  });
});
