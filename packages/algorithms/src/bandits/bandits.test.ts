import { type BoxArray, ConfigError, createRng, type Env, makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { type BanditConfig, BanditLinTSConfig, BanditLinUCBConfig, DQNConfig } from '../index.js';

const configs: Array<[string, () => BanditConfig]> = [
  ['LinUCB', () => new BanditLinUCBConfig()],
  ['LinTS', () => new BanditLinTSConfig()],
];

async function rewardAfterFiveIterations(config: BanditConfig): Promise<number> {
  const algo = config.environment({ env: 'SimpleContextualBandit-v0' }).debugging({ seed: 1, logLevel: 'SILENT' }).build();
  try {
    let reward = Number.NaN;
    for (let i = 0; i < 5; i++) {
      const result = await algo.train();
      expect(result.numEnvStepsSampledThisIter).toBeGreaterThanOrEqual(100);
      reward = result.episodeRewardMean;
    }
    return reward;
  } finally {
    await algo.stop();
  }
}

describe('linear contextual bandits', () => {
  it.each(configs)('%s reaches episodeRewardMean 10 on SimpleContextualBandit within 5 iterations, locally', async (_name, make) => {
    expect(await rewardAfterFiveIterations(make())).toBe(10);
  });

  it.each(configs)(
    '%s reaches episodeRewardMean 10 on SimpleContextualBandit within 5 iterations on 2 workers × 2 envs',
    async (_name, make) => {
      expect(await rewardAfterFiveIterations(make().rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 2 }))).toBe(10);
    },
  );

  it.each([
    ['LinUCB', () => new BanditLinUCBConfig()],
    // The env's reward noise is 0.01: α = 1 (RLlib's default, unit noise) over-explores for 5000 steps.
    ['LinTS (α 0.3)', () => new BanditLinTSConfig().training({ alpha: 0.3 })],
  ] as Array<[string, () => BanditConfig]>)(
    '%s keeps the cumulative regret of 5000 LinearDiscrete steps below 5% of a random policy',
    async (_name, make) => {
      const env = makeEnv('LinearDiscrete-v0') as Env<BoxArray, number>;
      const rng = createRng(9);
      env.reset({ seed: 3 });
      let randomRegret = 0;
      for (let t = 0; t < 5000; t++) randomRegret += env.step(rng.int(4)).info.regret as number;

      const algo = make()
        .environment({ env: 'LinearDiscrete-v0' })
        .reporting({ customMetricsFromInfo: ['regret'], minSampleTimestepsPerIteration: 500 })
        .debugging({ seed: 3, logLevel: 'SILENT' })
        .build();
      let regret = 0;
      let steps = 0;
      try {
        while (steps < 5000) {
          const result = await algo.train();
          steps += result.numEnvStepsSampledThisIter;
          regret += result.customMetrics.regretSum ?? 0;
        }
      } finally {
        await algo.stop();
      }
      expect(steps).toBe(5000);
      expect(regret).toBeGreaterThan(0);
      expect(regret).toBeLessThan(0.05 * randomRegret);
    },
    60_000,
  );

  it('refuses a Box action space, naming it, and DQN does too', async () => {
    const bandit = new BanditLinUCBConfig().environment({ env: 'Pendulum-v1' }).debugging({ logLevel: 'SILENT' });
    expect(() => bandit.build()).toThrow(ConfigError);
    expect(() => bandit.build()).toThrow(/linear bandit needs a Discrete action space \(one arm per action\), got Box/);
    const dqn = new DQNConfig().environment({ env: 'Pendulum-v1' }).debugging({ logLevel: 'SILENT' });
    expect(() => dqn.build()).toThrow(/Q network needs a Discrete action space \(one Q value per action\), got Box/);
  });
});
