import { ConfigError, EnvError, envSpec, isEnvRegistered, makeEnv, TimeLimit } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { AcrobotEnv, CartPoleEnv, MountainCarEnv, PendulumEnv } from '../index.js';

describe('classic-control registration', () => {
  it.each([
    ['CartPole-v0', 200, 195, CartPoleEnv],
    ['CartPole-v1', 500, 475, CartPoleEnv],
    ['Pendulum-v1', 200, undefined, PendulumEnv],
    ['MountainCar-v0', 200, -110, MountainCarEnv],
    ['Acrobot-v1', 500, -100, AcrobotEnv],
  ])("registers %s with Gymnasium's limit %i and threshold %s when @loomrl/envs is imported", (id, limit, threshold, cls) => {
    expect(isEnvRegistered(id)).toBe(true);
    expect(envSpec(id)).toEqual({ id, maxEpisodeSteps: limit, rewardThreshold: threshold });
    const env = makeEnv(id);
    expect(env).toBeInstanceOf(TimeLimit);
    expect((env as TimeLimit<unknown, unknown>).unwrapped).toBeInstanceOf(cls);
    expect(env.spec?.id).toBe(id);
  });

  it.each([
    ['null', null],
    ['a string', 'abc'],
    ['an array', [1]],
  ])('makeEnv refuses %s as envConfig, naming it', (_what, envConfig) => {
    for (const id of ['CartPole-v1', 'RecoGym-v1']) {
      expect(() => makeEnv(id, envConfig as never)).toThrow(ConfigError);
      expect(() => makeEnv(id, envConfig as never)).toThrow(/envConfig must be a plain object of options, got (null|"abc"|\[1\])/);
    }
  });

  it('makeEnv("CartPole-v1", { bogus: 1 }) throws naming "bogus"', () => {
    expect(() => makeEnv('CartPole-v1', { bogus: 1 })).toThrow(EnvError);
    expect(() => makeEnv('CartPole-v1', { bogus: 1 })).toThrow(/"bogus"/);
  });

  it('passes envConfig to the env and names a bad value and what was expected', () => {
    const env = makeEnv('Pendulum-v1', { g: 9.81 });
    expect(((env as TimeLimit<unknown, unknown>).unwrapped as PendulumEnv).g).toBe(9.81);
    expect(() => makeEnv('Pendulum-v1', { g: '9.81' })).toThrow(/envConfig\.g must be a finite number >= 0, got "9\.81"/);
    expect(() => makeEnv('MountainCar-v0', { goalVelocty: 0.1 })).toThrow(/"goalVelocty".*Did you mean "goalVelocity"/);
  });
});
