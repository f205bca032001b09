// Registers the built-in envs (CartPole-v1, Pendulum-v1, RecSim, RecoGym, …) on the main thread.
import '@loomrl/envs';
import { registerAlgorithm } from '@loomrl/core';
import { Bandit } from './bandits/algorithm.js';
import { type BanditConfig, BanditLinTSConfig, BanditLinUCBConfig } from './bandits/config.js';
import { BCConfig } from './bc/config.js';
import { CQL } from './cql/algorithm.js';
import { CQLConfig } from './cql/config.js';
import { CRR } from './crr/algorithm.js';
import { CRRConfig } from './crr/config.js';
import { DQN } from './dqn/algorithm.js';
import { DQNConfig } from './dqn/config.js';
import { MARWIL } from './marwil/algorithm.js';
import { MARWILConfig } from './marwil/config.js';
import { PPO } from './ppo/algorithm.js';
import { PPOConfig } from './ppo/config.js';
import { SAC } from './sac/algorithm.js';
import { SACConfig } from './sac/config.js';
import { SlateQ } from './slateq/algorithm.js';
import { SlateQConfig } from './slateq/config.js';
import { Wolpertinger } from './wolpertinger/algorithm.js';
import { WolpertingerConfig } from './wolpertinger/config.js';

/**
 * Registers every algorithm of this package by name, for `Algorithm.fromCheckpoint` and
 * `configFromJSON`. Importing `@loomrl/algorithms` calls it; calling it again is harmless.
 */
export function registerAlgorithms(): void {
  registerAlgorithm({ name: 'PPO', createConfig: () => new PPOConfig(), createAlgorithm: (config) => new PPO(config as PPOConfig) });
  registerAlgorithm({
    name: 'BanditLinUCB',
    createConfig: () => new BanditLinUCBConfig(),
    createAlgorithm: (c) => new Bandit(c as BanditConfig),
  });
  registerAlgorithm({
    name: 'BanditLinTS',
    createConfig: () => new BanditLinTSConfig(),
    createAlgorithm: (c) => new Bandit(c as BanditConfig),
  });
  registerAlgorithm({ name: 'DQN', createConfig: () => new DQNConfig(), createAlgorithm: (config) => new DQN(config as DQNConfig) });
  registerAlgorithm({ name: 'SlateQ', createConfig: () => new SlateQConfig(), createAlgorithm: (c) => new SlateQ(c as SlateQConfig) });
  registerAlgorithm({
    name: 'Wolpertinger',
    createConfig: () => new WolpertingerConfig(),
    createAlgorithm: (c) => new Wolpertinger(c as WolpertingerConfig),
  });
  registerOfflineAlgorithms();
}

/** The offline-RL family (issue 11): BC, MARWIL, CRR, SAC, CQL. */
function registerOfflineAlgorithms(): void {
  registerAlgorithm({ name: 'MARWIL', createConfig: () => new MARWILConfig(), createAlgorithm: (c) => new MARWIL(c as MARWILConfig) });
  registerAlgorithm({ name: 'BC', createConfig: () => new BCConfig(), createAlgorithm: (c) => new MARWIL(c as MARWILConfig) });
  registerAlgorithm({ name: 'CRR', createConfig: () => new CRRConfig(), createAlgorithm: (c) => new CRR(c as CRRConfig) });
  registerAlgorithm({ name: 'SAC', createConfig: () => new SACConfig(), createAlgorithm: (c) => new SAC(c as SACConfig) });
  registerAlgorithm({ name: 'CQL', createConfig: () => new CQLConfig(), createAlgorithm: (c) => new CQL(c as CQLConfig) });
}
