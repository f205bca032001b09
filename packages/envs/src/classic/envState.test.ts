import { EnvError, makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../index.js';

const IDS = ['CartPole-v1', 'Pendulum-v1', 'MountainCar-v0', 'Acrobot-v1'];

describe('classic-control env state', () => {
  it.each(IDS)('%s continues bit for bit from getState() in a fresh env, time limit and random stream included', (id) => {
    const env = makeEnv(id);
    const action = (t: number) => (id === 'Pendulum-v1' ? Float32Array.of(Math.sin(t)) : t % 2);
    env.reset({ seed: 4 });
    for (let t = 0; t < 30; t++) {
      const s = env.step(action(t));
      if (s.terminated || s.truncated) env.reset();
    }
    const state = JSON.parse(JSON.stringify(env.getState?.()));
    const copy = makeEnv(id);
    copy.setState?.(state);
    const trace = (e: typeof env) => {
      const out: unknown[] = [];
      for (let t = 0; t < 600; t++) {
        const s = e.step(action(t));
        out.push(Array.from(s.obs as Float32Array), s.reward, s.terminated, s.truncated);
        if (s.terminated || s.truncated) out.push(Array.from(e.reset().obs as Float32Array));
      }
      return out;
    };
    expect(trace(copy)).toEqual(trace(env));
  });

  it('refuses a foreign state, naming the env', () => {
    const env = makeEnv('CartPole-v1');
    expect(() => env.setState?.({ current: [1, 2] })).toThrow(EnvError);
    expect(() => env.setState?.({ current: [1, 2] })).toThrow(
      /CartPole\.setState: expected what getState\(\) returned \(a state of 4 numbers\)/,
    );
  });
});
