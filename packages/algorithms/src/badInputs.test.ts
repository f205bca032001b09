import { AlgorithmError, ConfigError, EnvError, LearnerError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { cartPolePPO, PPOConfig } from './index.js';

function small(): PPOConfig {
  return cartPolePPO({ seed: 2 }).training({ numSgdIter: 1, trainBatchSize: 256, sgdMinibatchSize: 128 });
}

describe('bad input to an algorithm', () => {
  it('refuses observations outside the space or of the wrong length, and a non-boolean explore, naming the value', async () => {
    const algo = small().build();
    try {
      expect(() => algo.computeSingleAction([10, 0, 0, 0])).toThrow(EnvError);
      expect(() => algo.computeSingleAction([10, 0, 0, 0])).toThrow(/observation \[10,0,0,0\] is not in the observation space Box/);
      expect(() => algo.computeSingleAction([0, 0, 0])).toThrow(/observation \[0,0,0\] is not in the observation space/);
      expect(() => algo.computeSingleAction([0, 0, 0, 0], { explore: 'yes' as never })).toThrow(ConfigError);
      expect(() => algo.computeSingleAction([0, 0, 0, 0], { explore: 'yes' as never })).toThrow(/explore must be true or false, got "yes"/);
      expect([0, 1]).toContain(algo.computeSingleAction([0, 0, 0, 0], { explore: false }));
    } finally {
      await algo.stop();
    }
    expect(() => algo.computeSingleAction([0, 0, 0, 0])).toThrow(AlgorithmError);
    expect(() => algo.computeSingleAction([0, 0, 0, 0])).toThrow(/computeSingleAction\(\) was called after stop\(\)/);
    await expect(algo.train()).rejects.toMatchObject({ code: 'ALGORITHM_STOPPED' });
  });

  it('refuses a learning-rate schedule with a negative rate', () => {
    expect(() =>
      new PPOConfig().training({
        lrSchedule: [
          [0, 1e-3],
          [1000, -1e-4],
        ],
      }),
    ).toThrow(/lrSchedule.*expected null or an array of \[timestep >= 0, learning rate > 0\] pairs, got \[\[0,0.001\],\[1000,-0.0001\]\]/);
  });

  it('reads fcnetHiddens: [] as a linear policy and value function, and trains it', async () => {
    const algo = small()
      .training({ model: { fcnetHiddens: [] } })
      .build();
    try {
      // Logits 4×2 + 2, value 4×1 + 1.
      expect(algo.getWeights().length).toBe(15);
      const result = await algo.train();
      expect(Number.isFinite(result.learnerStats.totalLoss)).toBe(true);
    } finally {
      await algo.stop();
    }
  });

  it('stops a diverging learner with a LearnerError before its NaN weights reach the workers', async () => {
    const algo = small()
      .training({ lr: 3e38, lrSchedule: null, numSgdIter: 4, model: { fcnetActivation: 'relu' } })
      .build();
    try {
      let error: unknown = null;
      for (let i = 0; i < 5 && error === null; i++) await algo.train().catch((e: unknown) => (error = e));
      expect(error).toBeInstanceOf(LearnerError);
      expect(String(error)).toMatch(/PPO's update diverged: (learner stat \w+|weight \d+) is (NaN|-?Infinity)/);
      expect(algo.getWeights().every(Number.isFinite)).toBe(true);
      await expect(algo.train()).rejects.toMatchObject({ code: 'ALGORITHM_FAILED' });
    } finally {
      await algo.stop();
    }
  });
});
