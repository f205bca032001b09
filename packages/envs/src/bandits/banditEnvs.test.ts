import { ActionError, ConfigError, EnvError, envSpec, isEnvRegistered, makeEnv, type StepResult } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { BANDIT_ENV_IDS, checkEnv, LinearDiscreteEnv, SimpleContextualBanditEnv, WheelBanditEnv } from '../index.js';

const ENVS = [
  [BANDIT_ENV_IDS.simpleContextualBandit, SimpleContextualBanditEnv, 2, 3],
  [BANDIT_ENV_IDS.linearDiscrete, LinearDiscreteEnv, 8, 4],
  [BANDIT_ENV_IDS.wheelBandit, WheelBanditEnv, 2, 5],
] as const;

/** `steps` one-step episodes under a fixed arm cycle, resetting without a seed after the first. */
function rollout(id: string, seed: number, steps: number, arm: (t: number) => number): Array<StepResult<unknown> & { start: unknown }> {
  const env = makeEnv(id);
  const out: Array<StepResult<unknown> & { start: unknown }> = [];
  for (let t = 0; t < steps; t++) {
    const start = env.reset(t === 0 ? { seed } : undefined).obs;
    out.push({ start, ...env.step(arm(t)) });
  }
  return out;
}

describe('bandit test envs', () => {
  it.each(ENVS)('registers %s with its observation and action spaces', (id, cls, featureDim, numArms) => {
    expect(isEnvRegistered(id)).toBe(true);
    expect(envSpec(id).maxEpisodeSteps).toBeUndefined();
    const env = makeEnv(id);
    expect(env).toBeInstanceOf(cls);
    expect(env.spec?.id).toBe(id);
    expect(env.observationSpace.toJSON()).toMatchObject({ type: 'Box', shape: [featureDim], dtype: 'float32' });
    expect(env.actionSpace.toJSON()).toEqual({ type: 'Discrete', n: numArms, start: 0 });
    expect(envSpec(BANDIT_ENV_IDS.simpleContextualBandit).rewardThreshold).toBe(10);
  });

  it.each(ENVS)('%s passes checkEnv and ends every episode after one step, reporting regret and optAction', (id, _cls, _d, numArms) => {
    const report = checkEnv(makeEnv(id), { numSteps: 600 });
    expect(report).toEqual({ steps: 600, episodes: 600, warnings: [] });
    for (const r of rollout(id, 3, 200, (t) => t % numArms)) {
      expect(r.terminated).toBe(true);
      expect(r.truncated).toBe(false);
      expect(Object.keys(r.info).sort()).toEqual(['optAction', 'regret']);
      expect(Number.isInteger(r.info.optAction) && (r.info.optAction as number) < numArms).toBe(true);
    }
  });

  it.each(ENVS)('%s repeats itself bit for bit from the same seed and differs for another seed', (id, _cls, _d, numArms) => {
    const arm = (t: number): number => (t * 7) % numArms;
    const a = rollout(id, 11, 300, arm);
    expect(rollout(id, 11, 300, arm)).toEqual(a);
    const b = rollout(id, 12, 300, arm);
    expect(b.map((r) => r.start)).not.toEqual(a.map((r) => r.start));
  });

  it.each(ENVS)('%s draws the same contexts whatever arms are pulled', (id, _cls, _d, numArms) => {
    const first = rollout(id, 5, 200, () => 0).map((r) => [r.start, r.obs, r.info.optAction]);
    const other = rollout(id, 5, 200, (t) => (t * 3 + 1) % numArms).map((r) => [r.start, r.obs, r.info.optAction]);
    expect(other).toEqual(first);
  });

  it.each(ENVS)('%s refuses a step before reset, arms outside the space, reset options and bad seeds', (id, _cls, _d, numArms) => {
    const env = makeEnv(id);
    expect(() => env.step(0)).toThrow(EnvError);
    expect(() => env.step(0)).toThrow(/call reset\(\) before step\(\)/);
    env.reset({ seed: 0 });
    expect(() => env.step(numArms)).toThrow(ActionError);
    expect(() => env.step(numArms)).toThrow(new RegExp(`action ${numArms} is not in the action space Discrete\\(${numArms}\\)`));
    expect(() => env.step(0.5)).toThrow(ActionError);
    expect(() => env.reset({ options: { low: 0 } })).toThrow(/unknown option "low" \(this env takes no reset options\)/);
    expect(() => env.reset({ seed: -1 })).toThrow(/seed must be an integer >= 0, got -1/);
  });

  it('names an unknown envConfig key, the valid keys and the nearest one', () => {
    expect(() => new SimpleContextualBanditEnv({ arms: 3 } as never)).toThrow(ConfigError);
    expect(() => makeEnv(BANDIT_ENV_IDS.simpleContextualBandit, { arms: 3 })).toThrow(EnvError);
    expect(() => makeEnv(BANDIT_ENV_IDS.simpleContextualBandit, { arms: 3 })).toThrow(/unknown envConfig key "arms" \(it takes no keys\)/);
    expect(() => makeEnv(BANDIT_ENV_IDS.linearDiscrete, { featureDims: 3 })).toThrow(
      /LinearDiscrete: unknown envConfig key "featureDims" \(valid keys: featureDim, numActions, rewardNoiseStd, contextStd, thetaSeed, thetas\)\. Did you mean "featureDim"\?/,
    );
    expect(() => makeEnv(BANDIT_ENV_IDS.linearDiscrete, { reward_noise_std: 0.1 })).toThrow(/Did you mean "rewardNoiseStd"\?/);
    expect(() => makeEnv(BANDIT_ENV_IDS.wheelBandit, { mu_1: 2 })).toThrow(
      /WheelBandit: unknown envConfig key "mu_1" .*Did you mean "mu1"\?/,
    );
  });
});
