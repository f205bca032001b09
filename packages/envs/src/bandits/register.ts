import { registerEnv } from '@loomrl/core';
import { type LinearDiscreteConfig, LinearDiscreteEnv } from './linearDiscrete.js';
import { type SimpleContextualBanditConfig, SimpleContextualBanditEnv } from './simpleContextualBandit.js';
import { type WheelBanditConfig, WheelBanditEnv } from './wheelBandit.js';

/** The registry ids of the bandit test envs (RLlib's `rllib/examples/env/bandit_envs_discrete.py`). */
export const BANDIT_ENV_IDS = Object.freeze({
  simpleContextualBandit: 'SimpleContextualBandit-v0',
  linearDiscrete: 'LinearDiscrete-v0',
  wheelBandit: 'WheelBandit-v0',
} as const);

/** Registers the bandit test envs (runs when `@loomrl/envs` is imported; safe to call again). */
export function registerBanditEnvs(): void {
  registerEnv<SimpleContextualBanditConfig>(BANDIT_ENV_IDS.simpleContextualBandit, (config) => new SimpleContextualBanditEnv(config), {
    rewardThreshold: 10,
  });
  registerEnv<LinearDiscreteConfig>(BANDIT_ENV_IDS.linearDiscrete, (config) => new LinearDiscreteEnv(config));
  registerEnv<WheelBanditConfig>(BANDIT_ENV_IDS.wheelBandit, (config) => new WheelBanditEnv(config));
}

registerBanditEnvs();
