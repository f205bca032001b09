/**
 * @loomrl/envs — LoomRL's built-in environments and `checkEnv`. Importing this module registers the
 * classic-control envs (CartPole-v0/v1, Pendulum-v1, MountainCar-v0, Acrobot-v1) and the bandit test
 * envs (SimpleContextualBandit-v0, LinearDiscrete-v0, WheelBandit-v0) with `makeEnv`.
 */
import { registerEnv } from '@loomrl/core';
import { type AcrobotConfig, AcrobotEnv } from './classic/acrobot.js';
import { type CartPoleConfig, CartPoleEnv } from './classic/cartPole.js';
import { type MountainCarConfig, MountainCarEnv } from './classic/mountainCar.js';
import { type PendulumConfig, PendulumEnv } from './classic/pendulum.js';

export { type CheckEnvOptions, type CheckEnvReport, checkEnv } from './checkEnv.js';
export { type AcrobotConfig, AcrobotEnv } from './classic/acrobot.js';
export { type CartPoleConfig, CartPoleEnv } from './classic/cartPole.js';
export { type MountainCarConfig, MountainCarEnv } from './classic/mountainCar.js';
export { type PendulumConfig, PendulumEnv } from './classic/pendulum.js';

registerEnv<CartPoleConfig>('CartPole-v0', (config) => new CartPoleEnv(config), { maxEpisodeSteps: 200, rewardThreshold: 195 });
registerEnv<CartPoleConfig>('CartPole-v1', (config) => new CartPoleEnv(config), { maxEpisodeSteps: 500, rewardThreshold: 475 });
registerEnv<PendulumConfig>('Pendulum-v1', (config) => new PendulumEnv(config), { maxEpisodeSteps: 200 });
registerEnv<MountainCarConfig>('MountainCar-v0', (config) => new MountainCarEnv(config), { maxEpisodeSteps: 200, rewardThreshold: -110 });
registerEnv<AcrobotConfig>('Acrobot-v1', (config) => new AcrobotEnv(config), { maxEpisodeSteps: 500, rewardThreshold: -100 });

export * from './bandits/index.js';
export * from './recogym/index.js';
export * from './recsim/index.js';
