import {
  Box,
  type BoxArray,
  Discrete,
  type Env,
  EnvError,
  entropySeed,
  listEnvs,
  makeEnv,
  type ResetOptions,
  type ResetResult,
  Rng,
  type StepResult,
} from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { checkEnv } from './checkEnv.js';
import './index.js';

type Fault =
  | 'none'
  | 'nanObs'
  | 'infiniteObs'
  | 'shortObs'
  | 'outOfBoundsObs'
  | 'numericTerminated'
  | 'nanReward'
  | 'missingInfo'
  | 'ignoresSeed'
  | 'unseededRandom'
  | 'rejectsActions'
  | 'plainArrayObs';

/** A tiny random walk on [-10, 10] that can be told to break one part of the Env contract. */
class WalkEnv implements Env<BoxArray, number> {
  readonly observationSpace = new Box({ low: -10, high: 10, shape: [2] });
  readonly actionSpace = new Discrete(2);
  private position = 0;
  private t = 0;
  private rng = new Rng(0);

  constructor(private readonly fault: Fault) {}

  reset(options?: ResetOptions): ResetResult<Float32Array> {
    if (options?.seed !== undefined) this.rng = new Rng(options.seed);
    if (this.fault === 'unseededRandom') this.rng = new Rng(entropySeed());
    this.position = this.fault === 'ignoresSeed' ? 0.5 : this.rng.uniform(-1, 1);
    this.t = 0;
    return { obs: this.observe(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    if (this.fault === 'rejectsActions' && action === 1) throw new RangeError('action 1 is not supported');
    this.t += 1;
    this.position += action === 1 ? 1 : -1;
    const terminated = Math.abs(this.position) > 5;
    let obs = this.observe();
    if (this.t === 3 && this.fault === 'nanObs') obs = Float32Array.of(Number.NaN, 0);
    if (this.t === 3 && this.fault === 'infiniteObs') obs = Float32Array.of(0, Number.POSITIVE_INFINITY);
    if (this.fault === 'shortObs') obs = Float32Array.of(this.position);
    if (this.fault === 'outOfBoundsObs') obs = Float32Array.of(this.position, 11);
    const result = { obs, reward: this.fault === 'nanReward' ? Number.NaN : 1, terminated, truncated: false, info: {} };
    if (this.fault === 'numericTerminated') return { ...result, terminated: (terminated ? 1 : 0) as unknown as boolean };
    if (this.fault === 'missingInfo') return { ...result, info: undefined as never };
    return result;
  }

  private observe(): Float32Array {
    if (this.fault === 'plainArrayObs') return [this.position, this.t / 10] as unknown as Float32Array;
    return Float32Array.of(this.position, this.t / 10);
  }
}

describe('checkEnv', () => {
  it('passes on every bundled env', () => {
    const ids = listEnvs();
    expect(ids).toEqual(expect.arrayContaining(['Acrobot-v1', 'CartPole-v0', 'CartPole-v1', 'MountainCar-v0', 'Pendulum-v1']));
    for (const id of ids) {
      const report = checkEnv(makeEnv(id), { numSteps: 600 });
      expect(report.steps, id).toBe(600);
      expect(report.warnings, id).toEqual([]);
    }
  });

  it('counts episodes that end during the random rollout', () => {
    const report = checkEnv(makeEnv('CartPole-v1'));
    expect(report.steps).toBe(300);
    expect(report.episodes).toBeGreaterThan(3);
    expect(checkEnv(new WalkEnv('none')).warnings).toEqual([]);
  });

  it('fails on a NaN observation, naming NaN, the step and the observation', () => {
    expect(() => checkEnv(new WalkEnv('nanObs'))).toThrow(EnvError);
    expect(() => checkEnv(new WalkEnv('nanObs'))).toThrow(/step 3 .*observation containing NaN at \[0\]: Float32Array\[NaN, 0\]/);
  });

  it('fails on an observation containing Infinity, naming the entry', () => {
    expect(() => checkEnv(new WalkEnv('infiniteObs'))).toThrow(/containing Infinity at \[1\]/);
  });

  it('fails on an observation of the wrong shape, naming the shape', () => {
    expect(() => checkEnv(new WalkEnv('shortObs'))).toThrow(
      /step 1 .*not in the observation space .*it has 1 entries; the space has shape \[2\]/,
    );
  });

  it('fails on an observation outside the bounds, naming the entry', () => {
    expect(() => checkEnv(new WalkEnv('outOfBoundsObs'))).toThrow(/entry 1 = 11 is outside \[-10, 10\]/);
  });

  it('fails on a terminated flag that is not a boolean', () => {
    expect(() => checkEnv(new WalkEnv('numericTerminated'))).toThrow(/terminated must be a boolean, got 0 \(number\)/);
  });

  it('fails on a NaN reward', () => {
    expect(() => checkEnv(new WalkEnv('nanReward'))).toThrow(/reward must be a finite number, got NaN/);
  });

  it('fails on a step without an info object', () => {
    expect(() => checkEnv(new WalkEnv('missingInfo'))).toThrow(/info must be a plain object, got undefined/);
  });

  it('fails when the same seed gives different starts', () => {
    expect(() => checkEnv(new WalkEnv('unseededRandom'))).toThrow(/reset\(\{ seed: 0 \}\) twice gave different observations/);
  });

  it('fails when different seeds never differ, unless the env is declared deterministic', () => {
    expect(() => checkEnv(new WalkEnv('ignoresSeed'))).toThrow(/seeds 0\.\.4 all gave the same .*ignore the seed/);
    expect(checkEnv(new WalkEnv('ignoresSeed'), { expectSeedVariation: false }).steps).toBe(300);
  });

  it('fails when the env throws on an action from its own action space, naming the action', () => {
    expect(() => checkEnv(new WalkEnv('rejectsActions'))).toThrow(/step\(1\) threw: action 1 is not supported/);
  });

  it('fails on spaces that are not Space objects', () => {
    const env = new WalkEnv('none');
    Object.defineProperty(env, 'observationSpace', { value: { shape: [2] } });
    expect(() => checkEnv(env)).toThrow(/env\.observationSpace is not a Space: it lacks type, sample, contains/);
  });

  it('warns when float32 Box observations are plain arrays', () => {
    const report = checkEnv(new WalkEnv('plainArrayObs'));
    expect(report.warnings).toEqual(['observations should be Float32Array for Box(-10, 10, (2,), float32), got Array']);
  });

  it('rejects bad options', () => {
    expect(() => checkEnv(new WalkEnv('none'), { numSteps: 0 })).toThrow(/numSteps must be an integer >= 1, got 0/);
  });
});
