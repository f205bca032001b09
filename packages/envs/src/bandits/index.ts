/**
 * Contextual-bandit test envs (RLlib's `bandit_envs_discrete.py`): `SimpleContextualBandit-v0`,
 * `LinearDiscrete-v0` and `WheelBandit-v0`, registered on import. Each episode is one step, and
 * `info` reports `regret` and `optAction`.
 */

export { type LinearDiscreteConfig, LinearDiscreteEnv } from './linearDiscrete.js';
export type { BanditStepInfo } from './oneStepBandit.js';
export { BANDIT_ENV_IDS } from './register.js';
export { type SimpleContextualBanditConfig, SimpleContextualBanditEnv } from './simpleContextualBandit.js';
export { type WheelBanditConfig, WheelBanditEnv } from './wheelBandit.js';
