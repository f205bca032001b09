import { describe, expect, it } from 'vitest';
import { ActionError } from '../errors.js';
import { Rng } from '../rng.js';
import { Box, type BoxArray, Discrete } from '../spaces/index.js';
import type { Env, ResetOptions, ResetResult, StepResult } from './env.js';
import { assertActionInSpace, SyncVectorEnv } from './vectorEnv.js';

/**
 * A line walk: obs [position, episode]. Reset puts the walker at `start`, or at a seeded random
 * integer in [0, 1000) when `start` is undefined. Action 1 moves +1 and 0 moves −1; reward = action.
 * Terminates at `goal`; truncates itself after `maxSteps` steps.
 */
class LineWalk implements Env<BoxArray, number> {
  readonly observationSpace = new Box({ low: -Infinity, high: Infinity, shape: [2] });
  readonly actionSpace = new Discrete(2);
  private rng = new Rng('line-walk-default');
  private position = 0;
  private steps = 0;
  episode = -1;
  closed = false;
  constructor(private readonly options: { start?: number; goal?: number; maxSteps?: number } = {}) {}
  reset(options?: ResetOptions): ResetResult<BoxArray> {
    if (options?.seed !== undefined) this.rng = new Rng(options.seed);
    this.position = this.options.start ?? this.rng.int(1000);
    this.steps = 0;
    this.episode += 1;
    return { obs: this.obs(), info: { episode: this.episode } };
  }
  step(action: number): StepResult<BoxArray> {
    this.position += action === 1 ? 1 : -1;
    this.steps += 1;
    return {
      obs: this.obs(),
      reward: action,
      terminated: this.position === (this.options.goal ?? Infinity),
      truncated: this.steps >= (this.options.maxSteps ?? Infinity),
      info: { steps: this.steps },
    };
  }
  close(): void {
    this.closed = true;
  }
  private obs(): Float32Array {
    return new Float32Array([this.position, this.episode]);
  }
}

function rows(flat: Float32Array, dim: number): number[][] {
  return Array.from({ length: flat.length / dim }, (_, i) => Array.from(flat.subarray(i * dim, (i + 1) * dim)));
}

describe('SyncVectorEnv', () => {
  it('takes its spaces and obsDim from the first env', () => {
    const envs = [new LineWalk(), new LineWalk()];
    const vec = new SyncVectorEnv(envs);
    expect(vec.numEnvs).toBe(2);
    expect(vec.obsDim).toBe(2);
    expect(vec.observationSpace).toBe(envs[0]?.observationSpace);
    expect(vec.actionSpace).toBe(envs[0]?.actionSpace);
    expect(() => new SyncVectorEnv([])).toThrow(/at least one env/);
  });

  it('reset returns each sub-env’s flattened observation in vector order', () => {
    const vec = new SyncVectorEnv([new LineWalk({ start: 5 }), new LineWalk({ start: -3 })]);
    expect(rows(vec.reset(), 2)).toEqual([
      [5, 0],
      [-3, 0],
    ]);
  });

  it('steps every sub-env and reports rewards and observations per env', () => {
    const vec = new SyncVectorEnv([new LineWalk({ start: 0 }), new LineWalk({ start: 10 })]);
    vec.reset();
    const r = vec.step([1, 0]);
    expect(rows(r.obs, 2)).toEqual([
      [1, 0],
      [9, 0],
    ]);
    expect(Array.from(r.rewards)).toEqual([1, 0]);
    expect(Array.from(r.terminateds)).toEqual([0, 0]);
    expect(Array.from(r.truncateds)).toEqual([0, 0]);
    expect(r.infos).toEqual([{ steps: 1 }, { steps: 1 }]);
  });

  it('auto-resets an ended episode: the final obs goes to finalObs and obs holds the reset obs', () => {
    const vec = new SyncVectorEnv([new LineWalk({ start: 0, goal: 2 }), new LineWalk({ start: 0 })]);
    vec.reset();
    vec.step([1, 1]);
    const r = vec.step([1, 1]);
    expect(Array.from(r.terminateds)).toEqual([1, 0]);
    // env 0 finished at position 2 of episode 0 and was reset to position 0 of episode 1
    expect(Array.from(r.finalObs.subarray(0, 2))).toEqual([2, 0]);
    expect(Array.from(r.obs.subarray(0, 2))).toEqual([0, 1]);
    // env 1 runs on
    expect(Array.from(r.obs.subarray(2, 4))).toEqual([2, 0]);
    // the info is that of the last step, and the next step starts the new episode
    expect(r.infos[0]).toEqual({ steps: 2 });
    const next = vec.step([1, 1]);
    expect(Array.from(next.terminateds)).toEqual([0, 0]);
    expect(Array.from(next.obs.subarray(0, 2))).toEqual([1, 1]);
    expect(next.infos[0]).toEqual({ steps: 1 });
  });

  it('keeps termination and truncation distinct, per env', () => {
    const vec = new SyncVectorEnv([
      new LineWalk({ start: 0, goal: 1 }),
      new LineWalk({ start: 0, maxSteps: 1 }),
      new LineWalk({ start: 0, goal: 1, maxSteps: 1 }),
      new LineWalk({ start: 0 }),
    ]);
    vec.reset();
    const r = vec.step([1, 1, 1, 1]);
    expect(Array.from(r.terminateds)).toEqual([1, 0, 1, 0]);
    expect(Array.from(r.truncateds)).toEqual([0, 1, 1, 0]);
    // all three ended envs keep their final obs and restart
    expect(rows(r.finalObs, 2).slice(0, 3)).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    expect(rows(r.obs, 2)).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
  });

  it('flags from an ended step are cleared on the next step', () => {
    const vec = new SyncVectorEnv([new LineWalk({ start: 0, maxSteps: 2 })]);
    vec.reset();
    vec.step([1]);
    expect(vec.step([1]).truncateds[0]).toBe(1);
    const r = vec.step([1]);
    expect(r.truncateds[0]).toBe(0);
    expect(r.terminateds[0]).toBe(0);
  });

  it('reset with seeds is deterministic, and unseeded sub-envs continue their own stream', () => {
    const run = (seeds: (number | undefined)[]) => {
      const vec = new SyncVectorEnv([new LineWalk({ maxSteps: 2 }), new LineWalk({ maxSteps: 2 })]);
      const trace = [Array.from(vec.reset(seeds))];
      for (let t = 0; t < 6; t++) trace.push(Array.from(vec.step([t % 2, 1]).obs));
      return trace;
    };
    const a = run([11, 12]);
    expect(run([11, 12])).toEqual(a);
    // auto-resets draw new start positions from the seeded streams
    expect(new Set(a.map((obs) => obs[0])).size).toBeGreaterThan(2);
    // the two sub-envs got different seeds, so different starts
    expect(a[0]?.[0]).not.toBe(a[0]?.[2]);
    expect(run([13, 12])[0]?.[0]).not.toBe(a[0]?.[0]);
    // an undefined seed means "do not re-seed": that env keeps its stream, the other is re-seeded
    const vec = new SyncVectorEnv([new LineWalk(), new LineWalk()]);
    vec.reset([1, 2]);
    const second = Array.from(vec.reset([undefined, 2]));
    const fresh = new SyncVectorEnv([new LineWalk(), new LineWalk()]);
    expect(second[2]).toBe(fresh.reset([1, 2])[2]);
    expect(second[0]).not.toBe(fresh.reset([1, 2])[0]);
  });

  it('an action outside the action space throws an ActionError naming the action, the sub-env and the space', () => {
    const envs = [new LineWalk({ start: 0 }), new LineWalk({ start: 0 })];
    const vec = new SyncVectorEnv(envs);
    vec.reset();
    expect(() => vec.step([1, 2])).toThrow(ActionError);
    expect(() => vec.step([1, 2])).toThrow('sub-env 1: action 2 is not in the action space Discrete(2)');
    expect(() => vec.step(['1', 0])).toThrow('sub-env 0: action "1" is not in the action space Discrete(2)');
    expect(() => vec.step([0.5, 0])).toThrow(/action 0\.5 /);
  });

  it('skips the action check when validateActions is false', () => {
    const vec = new SyncVectorEnv([new LineWalk({ start: 0 })], { validateActions: false });
    vec.reset();
    // LineWalk treats anything but 1 as "left"
    expect(Array.from(vec.step([7]).obs)).toEqual([-1, 0]);
  });

  it('rejects a wrong number of actions', () => {
    const vec = new SyncVectorEnv([new LineWalk(), new LineWalk()]);
    vec.reset();
    expect(() => vec.step([1])).toThrow(/expected 2 actions, got 1/);
  });

  it('close closes every sub-env', () => {
    const envs = [new LineWalk(), new LineWalk()];
    new SyncVectorEnv(envs).close();
    expect(envs.map((e) => e.closed)).toEqual([true, true]);
  });
});

describe('assertActionInSpace', () => {
  it('passes elements of the space and names the value and space otherwise', () => {
    const box = new Box({ low: -1, high: 1, shape: [2] });
    expect(() => assertActionInSpace(new Float32Array([0, 1]), box, 'here')).not.toThrow();
    expect(() => assertActionInSpace(new Float32Array([0, Number.NaN]), box, 'here')).toThrow(
      'here: action Float32Array[0, NaN] is not in the action space Box(-1, 1, (2,), float32)',
    );
    expect(() => assertActionInSpace([0, Number.NaN], box, 'here')).toThrow(/action \[0,NaN\] /);
  });
});
