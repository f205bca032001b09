import { makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { CENTERED_REWARD_LTS_ENV_ID } from './ltsCenteredReward.js';
import { LTS_ENV_ID, TUTORIAL_USER } from './recsimTutorial.js';

describe('the centred-reward Long Term Satisfaction env', () => {
  it('gives the real env’s rewards minus the baseline, with the same observations and episode length', () => {
    const config = { ...TUTORIAL_USER, observeSatisfaction: true };
    const real = makeEnv(LTS_ENV_ID, config);
    const centred = makeEnv(CENTERED_REWARD_LTS_ENV_ID, { ...config, rewardBaseline: 9.8 });
    expect(centred.observationSpace.toString()).toBe(real.observationSpace.toString());
    real.reset({ seed: 5 });
    centred.reset({ seed: 5 });
    let steps = 0;
    for (let done = false; !done; steps++) {
      const slate = Int32Array.of(steps % 20, (steps + 1) % 20);
      const a = real.step(slate);
      const b = centred.step(slate);
      expect(b.reward).toBeCloseTo(a.reward - 9.8, 9);
      expect((b.obs as { user: Float32Array }).user).toEqual((a.obs as { user: Float32Array }).user);
      expect(b.terminated).toBe(a.terminated);
      done = a.terminated || a.truncated;
    }
    expect(steps).toBe(120);
  });

  it('rejects a baseline that is not a finite number, naming it', () => {
    expect(() => makeEnv(CENTERED_REWARD_LTS_ENV_ID, { rewardBaseline: 'high' })).toThrow(/rewardBaseline must be a number, got "high"/);
    expect(() => makeEnv(CENTERED_REWARD_LTS_ENV_ID, { rewardBaseline: Number.NaN })).toThrow(/baseline must be a finite number, got NaN/);
  });
});
