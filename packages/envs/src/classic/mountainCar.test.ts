import { ActionError, makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { MountainCarEnv } from './mountainCar.js';

function carAt(position: number, velocity: number, envConfig = {}): MountainCarEnv {
  const env = new MountainCarEnv(envConfig);
  env.reset({ seed: 0 });
  env.state = [position, velocity];
  return env;
}

describe('MountainCarEnv', () => {
  it('follows the hill dynamics for one push to the right', () => {
    const env = carAt(-0.5, 0.01);
    const { obs, reward, terminated } = env.step(2);
    // v' = 0.01 + 1·0.001 − cos(−1.5)·0.0025, p' = −0.5 + v'
    const v = 0.01 + 0.001 - Math.cos(3 * -0.5) * 0.0025;
    expect(v).toBeCloseTo(0.010823157, 8);
    expect(obs).toBeInstanceOf(Float32Array);
    expect(obs[1]).toBe(Math.fround(v));
    expect(obs[0]).toBe(Math.fround(-0.5 + v));
    expect(reward).toBe(-1);
    expect(terminated).toBe(false);
  });

  it('applies no force with action 1 and a leftward force with action 0', () => {
    const gravityOnly = -Math.cos(3 * 0.2) * 0.0025;
    expect(carAt(0.2, 0).step(1).obs[1]).toBe(Math.fround(gravityOnly));
    expect(carAt(0.2, 0).step(0).obs[1]).toBe(Math.fround(gravityOnly - 0.001));
  });

  it('clips the speed to 0.07', () => {
    expect(carAt(-1, 0.0695).step(2).obs[1]).toBe(Math.fround(0.07));
    expect(carAt(0, -0.0699).step(0).obs[1]).toBe(Math.fround(-0.07));
  });

  it('stops the car at the left wall: position -1.2 and velocity reset to 0', () => {
    const { obs } = carAt(-1.19, -0.05).step(0);
    expect(obs[0]).toBe(Math.fround(-1.2));
    expect(obs[1]).toBe(0);
    // Moving right at the wall keeps the velocity.
    const env = carAt(-1.2, 0.01);
    expect(env.step(2).obs[1]).toBeGreaterThan(0);
  });

  it('terminates at position >= 0.5 with velocity >= the goal velocity', () => {
    const reached = carAt(0.49, 0.02).step(2);
    expect(reached.terminated).toBe(true);
    expect(reached.reward).toBe(-1);
    expect(carAt(0.49, 0.02, { goalVelocity: 0.05 }).step(2).terminated).toBe(false);
    expect(carAt(0.3, 0.02).step(2).terminated).toBe(false);
  });

  it('draws the start position from U(-0.6, -0.4) with velocity 0, or within low/high', () => {
    const env = new MountainCarEnv();
    for (let seed = 0; seed < 100; seed++) {
      const { obs } = env.reset({ seed });
      expect(obs[0]).toBeGreaterThanOrEqual(Math.fround(-0.6));
      expect(obs[0]).toBeLessThanOrEqual(Math.fround(-0.4));
      expect(obs[1]).toBe(0);
    }
    const { obs } = env.reset({ seed: 0, options: { low: -0.1, high: 0 } });
    expect(obs[0]).toBeGreaterThanOrEqual(Math.fround(-0.1));
    expect(obs[0]).toBeLessThanOrEqual(0);
  });

  it('gives the same start for the same seed', () => {
    expect(new MountainCarEnv().reset({ seed: 4 }).obs).toEqual(new MountainCarEnv().reset({ seed: 4 }).obs);
    expect(new MountainCarEnv().reset({ seed: 4 }).obs).not.toEqual(new MountainCarEnv().reset({ seed: 5 }).obs);
  });

  it('rejects actions outside Discrete(3) and bad envConfig values', () => {
    const env = carAt(0, 0);
    expect(() => env.step(3)).toThrow(ActionError);
    expect(() => env.step(3)).toThrow(/action 3 is not in the action space Discrete\(3\)/);
    expect(() => new MountainCarEnv({ goal_velocity: 0 } as never)).toThrow(/"goal_velocity".*goalVelocity/);
    expect(() => new MountainCarEnv({ goalVelocity: Number.POSITIVE_INFINITY })).toThrow(/finite number, got Infinity/);
  });

  it('is truncated at 200 steps through makeEnv when the car does nothing', () => {
    const env = makeEnv<Float32Array, number>('MountainCar-v0');
    env.reset({ seed: 1 });
    let total = 0;
    for (let t = 1; t <= 200; t++) {
      const { terminated, truncated, reward } = env.step(1);
      total += reward;
      expect(terminated).toBe(false);
      expect(truncated).toBe(t === 200);
    }
    expect(total).toBe(-200);
  });
});
