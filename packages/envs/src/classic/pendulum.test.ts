import { ActionError, makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { angleNormalize, PendulumEnv } from './pendulum.js';

/** The spec's Pendulum update and cost (rllib-reference §9.4), written out independently of the env. */
function expectedPendulumStep(theta: number, thetaDot: number, u: number, g = 10) {
  const dt = 0.05;
  const wrapped = theta - 2 * Math.PI * Math.floor((theta + Math.PI) / (2 * Math.PI));
  const cost = wrapped ** 2 + 0.1 * thetaDot ** 2 + 0.001 * u ** 2;
  const newThetaDot = Math.max(-8, Math.min(8, thetaDot + ((3 * g) / 2) * Math.sin(theta) * dt + 3 * u * dt));
  const newTheta = theta + newThetaDot * dt;
  return { obs: [Math.cos(newTheta), Math.sin(newTheta), newThetaDot], reward: -cost, state: [newTheta, newThetaDot] };
}

function pendulumAt(theta: number, thetaDot: number, envConfig = {}): PendulumEnv {
  const env = new PendulumEnv(envConfig);
  env.reset({ seed: 0 });
  env.state = [theta, thetaDot];
  return env;
}

describe('PendulumEnv', () => {
  it('follows the pendulum equations and cost for one step', () => {
    const env = pendulumAt(1.0, -0.5);
    const { obs, reward, terminated, truncated } = env.step(Float32Array.of(1.5));
    const expected = expectedPendulumStep(1.0, -0.5, 1.5);
    // Hand-computed: θ̇' = -0.5 + (15·sin 1 + 4.5)·0.05 ≈ 0.35611, cost = 1 + 0.025 + 0.00225.
    expect(expected.state[1]).toBeCloseTo(0.356103, 5);
    expect(reward).toBeCloseTo(-1.02725, 12);
    expect(obs).toBeInstanceOf(Float32Array);
    for (const [i, v] of expected.obs.entries()) expect(obs[i]).toBeCloseTo(v, 6);
    expect(env.state?.[0]).toBeCloseTo(expected.state[0] ?? 0, 12);
    expect(terminated).toBe(false);
    expect(truncated).toBe(false);
  });

  it('uses the gravity given as envConfig.g', () => {
    const env = pendulumAt(0.7, 0.2, { g: 9.81 });
    expect(env.g).toBe(9.81);
    const expected = expectedPendulumStep(0.7, 0.2, -2, 9.81);
    expect(env.step([-2]).obs[2]).toBeCloseTo(expected.obs[2] ?? 0, 6);
  });

  it('clips the angular velocity to [-8, 8]', () => {
    const env = pendulumAt(Math.PI / 2, 7.9);
    expect(env.step([2]).obs[2]).toBe(8);
    expect(env.state?.[0]).toBeCloseTo(Math.PI / 2 + 8 * 0.05, 12);
  });

  it('normalizes the angle into [-pi, pi) before computing the cost', () => {
    expect(angleNormalize(0.3)).toBeCloseTo(0.3, 15);
    expect(angleNormalize(2 * Math.PI + 0.3)).toBeCloseTo(0.3, 12);
    expect(angleNormalize(-2 * Math.PI - 0.3)).toBeCloseTo(-0.3, 12);
    expect(angleNormalize(Math.PI)).toBeCloseTo(-Math.PI, 12);
    expect(angleNormalize(-Math.PI - 0.1)).toBeCloseTo(Math.PI - 0.1, 12);
    const near = pendulumAt(0.3, 1).step([0.5]).reward;
    const wound = pendulumAt(6 * Math.PI + 0.3, 1).step([0.5]).reward;
    expect(wound).toBeCloseTo(near, 9);
  });

  it('keeps rewards within [-16.2736044, 0], reaching both ends', () => {
    expect(pendulumAt(0, 0).step([0]).reward).toBeCloseTo(0, 15);
    const worst = pendulumAt(Math.PI - 1e-12, 8).step([2]).reward;
    expect(worst).toBeCloseTo(-(Math.PI ** 2 + 0.1 * 64 + 0.001 * 4), 9);
    expect(worst).toBeCloseTo(-16.2736044, 6);
    const env = new PendulumEnv();
    env.reset({ seed: 5 });
    for (let t = 0; t < 1000; t++) {
      const { reward } = env.step([((t * 37) % 41) / 10 - 2]);
      expect(reward).toBeLessThanOrEqual(0);
      expect(reward).toBeGreaterThanOrEqual(-16.2736045);
    }
  });

  it('draws theta from U(-pi, pi) and theta-dot from U(-1, 1), or within xInit/yInit', () => {
    const env = new PendulumEnv();
    for (let seed = 0; seed < 100; seed++) {
      env.reset({ seed });
      const [theta = 0, thetaDot = 0] = env.state ?? [];
      expect(Math.abs(theta)).toBeLessThanOrEqual(Math.PI);
      expect(Math.abs(thetaDot)).toBeLessThanOrEqual(1);
    }
    env.reset({ seed: 1, options: { xInit: 0.1, yInit: 0.01 } });
    const [theta = 9, thetaDot = 9] = env.state ?? [];
    expect(Math.abs(theta)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(thetaDot)).toBeLessThanOrEqual(0.01);
    expect(() => env.reset({ options: { x_init: 1 } })).toThrow(/unknown option "x_init".*xInit, yInit/);
    expect(() => env.reset({ options: { xInit: 'wide' } })).toThrow(/xInit must be a finite number, got "wide"/);
  });

  it('gives the same start for the same seed', () => {
    expect(new PendulumEnv().reset({ seed: 9 }).obs).toEqual(new PendulumEnv().reset({ seed: 9 }).obs);
    expect(new PendulumEnv().reset({ seed: 9 }).obs).not.toEqual(new PendulumEnv().reset({ seed: 10 }).obs);
  });

  it('rejects torques outside Box([-2], [2]) and malformed actions with an ActionError', () => {
    const env = pendulumAt(0, 0);
    for (const bad of [[2.5], [Number.NaN], [0, 0], 1, 'x']) expect(() => env.step(bad as never)).toThrow(ActionError);
    expect(() => env.step([2.5])).toThrow(/action \[2\.5\] is not in the action space Box\(-2, 2, \(1,\), float32\)/);
  });

  it('rejects a bad envConfig naming the key or the value and what was expected', () => {
    expect(() => new PendulumEnv({ gravity: 10 } as never)).toThrow(/unknown envConfig key "gravity" \(valid keys: g\)/);
    expect(() => new PendulumEnv({ g: 'strong' } as never)).toThrow(/envConfig\.g must be a finite number >= 0, got "strong"/);
    expect(() => new PendulumEnv({ g: -1 })).toThrow(/got -1/);
  });

  it('never terminates and is truncated at 200 steps through makeEnv', () => {
    const env = makeEnv<Float32Array, number[]>('Pendulum-v1', { g: 9.81 });
    env.reset({ seed: 2 });
    for (let t = 1; t <= 200; t++) {
      const { terminated, truncated } = env.step([1]);
      expect(terminated).toBe(false);
      expect(truncated).toBe(t === 200);
    }
  });
});
