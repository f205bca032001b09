import { describe, expect, it } from 'vitest';
import { Box, type BoxArray, Discrete } from '../spaces/index.js';
import type { Env, EnvSpec, ResetOptions, ResetResult, StepResult } from './env.js';
import { TimeLimit, Wrapper } from './wrapper.js';

/**
 * A walk on the integers: obs [position], action 1 steps right and 0 steps left, reward = position.
 * Terminates on reaching `goal` (never, by default); truncates itself after `selfTruncateAt` steps if given.
 */
class Walk implements Env<BoxArray, number> {
  spec?: EnvSpec;
  readonly observationSpace = new Box({ low: -Infinity, high: Infinity, shape: [1] });
  readonly actionSpace = new Discrete(2);
  position = 0;
  steps = 0;
  resets = 0;
  closed = false;
  lastResetOptions: ResetOptions | undefined;
  constructor(
    private readonly goal = Infinity,
    private readonly selfTruncateAt = Infinity,
  ) {}
  reset(options?: ResetOptions): ResetResult<BoxArray> {
    this.position = 0;
    this.steps = 0;
    this.resets += 1;
    this.lastResetOptions = options;
    return { obs: new Float32Array([0]), info: { resets: this.resets } };
  }
  step(action: number): StepResult<BoxArray> {
    this.position += action === 1 ? 1 : -1;
    this.steps += 1;
    return {
      obs: new Float32Array([this.position]),
      reward: this.position,
      terminated: this.position >= this.goal,
      truncated: this.steps >= this.selfTruncateAt,
      info: { steps: this.steps },
    };
  }
  close(): void {
    this.closed = true;
  }
}

describe('TimeLimit', () => {
  it('truncates an episode after maxEpisodeSteps and keeps terminated false', () => {
    const env = new TimeLimit(new Walk(), 3);
    env.reset();
    const results = [env.step(1), env.step(1), env.step(0)];
    expect(results.map((r) => r.truncated)).toEqual([false, false, true]);
    expect(results.map((r) => r.terminated)).toEqual([false, false, false]);
    // everything else passes through unchanged
    const last = results[2] as StepResult<BoxArray>;
    expect(Array.from(last.obs)).toEqual([1]);
    expect(last.reward).toBe(1);
    expect(last.info).toEqual({ steps: 3 });
  });

  it('restarts the count on reset, episode after episode', () => {
    const env = new TimeLimit(new Walk(), 2);
    for (let episode = 0; episode < 3; episode++) {
      env.reset();
      expect(env.step(1).truncated).toBe(false);
      const end = env.step(1);
      expect(end.truncated).toBe(true);
      expect(end.terminated).toBe(false);
    }
  });

  it('passes an earlier termination through without truncating', () => {
    const env = new TimeLimit(new Walk(2), 5);
    env.reset();
    env.step(1);
    const end = env.step(1);
    expect(end.terminated).toBe(true);
    expect(end.truncated).toBe(false);
  });

  it('keeps terminated true when the episode terminates on the limit step (as Gymnasium does)', () => {
    const env = new TimeLimit(new Walk(2), 2);
    env.reset();
    env.step(1);
    const end = env.step(1);
    expect(end.terminated).toBe(true);
    expect(end.truncated).toBe(true);
  });

  it('passes the inner env’s own truncation through', () => {
    const env = new TimeLimit(new Walk(Infinity, 1), 10);
    env.reset();
    const end = env.step(0);
    expect(end.truncated).toBe(true);
    expect(end.terminated).toBe(false);
  });

  it('forwards reset options to the inner env', () => {
    const inner = new Walk();
    const env = new TimeLimit(inner, 4);
    const reset = env.reset({ seed: 12, options: { x: 1 } });
    expect(inner.lastResetOptions).toEqual({ seed: 12, options: { x: 1 } });
    expect(reset.info).toEqual({ resets: 1 });
  });

  it('rejects a limit that is not an integer >= 1, naming the value', () => {
    expect(() => new TimeLimit(new Walk(), 0)).toThrow(/got 0/);
    expect(() => new TimeLimit(new Walk(), 2.5)).toThrow(/got 2\.5/);
  });
});

describe('Wrapper', () => {
  it('forwards spaces, spec and close, and unwrapped reaches the innermost env', () => {
    const inner = new Walk();
    const outer = new Wrapper(new TimeLimit(inner, 5));
    expect(outer.observationSpace).toBe(inner.observationSpace);
    expect(outer.actionSpace).toBe(inner.actionSpace);
    expect(outer.unwrapped).toBe(inner);
    outer.spec = { id: 'Walk-v0', maxEpisodeSteps: 5 };
    expect(inner.spec).toEqual({ id: 'Walk-v0', maxEpisodeSteps: 5 });
    expect(outer.spec).toBe(inner.spec);
    outer.close();
    expect(inner.closed).toBe(true);
  });

  it('a subclass changes only what it overrides', () => {
    class DoubleReward extends Wrapper<BoxArray, number> {
      override step(action: number): StepResult<BoxArray> {
        const r = super.step(action);
        return { ...r, reward: 2 * r.reward };
      }
    }
    const env = new DoubleReward(new Walk());
    env.reset();
    expect(env.step(1).reward).toBe(2);
    expect(env.step(1).reward).toBe(4);
    expect(env.step(0).terminated).toBe(false);
  });
});
