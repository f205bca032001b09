/**
 * An env module for `environment({ envModules })`: importing it registers
 * "custom/CenteredRewardLTS-v0", RecSim's Long Term Satisfaction with every reward shifted by a
 * constant (Gymnasium's `TransformReward(env, r => r - b)`), for training only.
 *
 * Why it helps: every LTS episode lasts exactly `timeBudget` steps, so subtracting a constant b
 * subtracts the same b·Σγᵏ from every action's value at a given state and time: no policy's ranking
 * changes. What it removes is the scale (Q ≈ 10/(1 − γ) becomes a few units) and most of the part
 * of Q that depends on the unobserved time left, which otherwise drowns the 0.1-unit differences
 * between consuming kale and chocolate. Evaluate the trained policy on the real env.
 */
import { ConfigError, type Env, makeEnv, registerEnv, type StepResult, Wrapper } from '@loomrl/core';
import { LTS_ENV_ID } from './recsimTutorial.js';

/** The registered id of the centred-reward Long Term Satisfaction. */
export const CENTERED_REWARD_LTS_ENV_ID = 'custom/CenteredRewardLTS-v0';

/** Subtracts `baseline` from every reward of the wrapped env. */
export class CenterReward<O, A> extends Wrapper<O, A> {
  private readonly baseline: number;

  /** Wraps `env`; `baseline` must be finite. */
  constructor(env: Env<O, A>, baseline: number) {
    super(env);
    if (!Number.isFinite(baseline)) {
      throw new ConfigError(`CenterReward: the baseline must be a finite number, got ${String(baseline)}.`);
    }
    this.baseline = baseline;
  }

  override step(action: A): StepResult<O> {
    const result = super.step(action);
    return { ...result, reward: result.reward - this.baseline };
  }
}

// envConfig: Long Term Satisfaction's own keys, plus `rewardBaseline` (b; default 9.7, always-sweet's reward per step).
registerEnv(CENTERED_REWARD_LTS_ENV_ID, (config: Record<string, unknown>, context) => {
  const { rewardBaseline = 9.7, ...ltsConfig } = config;
  if (typeof rewardBaseline !== 'number') {
    throw new ConfigError(
      `${CENTERED_REWARD_LTS_ENV_ID}: envConfig.rewardBaseline must be a number, got ${JSON.stringify(rewardBaseline)}.`,
    );
  }
  return new CenterReward(makeEnv(LTS_ENV_ID, ltsConfig, context), rewardBaseline);
});
