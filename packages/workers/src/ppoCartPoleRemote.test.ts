import { cartPolePPO, type PPOConfig } from '@loomrl/algorithms';
import { describe, expect, it } from 'vitest';

// The tuned CartPole example (the demo's hyperparameters) on 2 worker threads × 8 envs.
function cartPoleConfig(seed: number): PPOConfig {
  return cartPolePPO({ seed, numRolloutWorkers: 2, numEnvsPerWorker: 8 });
}

describe('PPO on CartPole-v1 with 2 rollout worker threads × 8 envs', () => {
  it('reaches a greedy evaluation return of at least 475 within 150k env steps', async () => {
    const algo = cartPoleConfig(1).build();
    try {
      let evaluation = 0;
      let steps = 0;
      while (steps < 150_000 && evaluation < 475) {
        const result = await algo.train();
        steps = result.timestepsTotal;
        expect(result.numHealthyWorkers).toBe(2);
        expect(result.weightVersionLag).toBe(0);
        if (result.episodeRewardMean >= 450) evaluation = (await algo.evaluate()).episodeRewardMean;
      }
      expect(evaluation).toBeGreaterThanOrEqual(475);
      expect(steps).toBeLessThanOrEqual(150_000);
    } finally {
      await algo.stop();
    }
  }, 600_000);
});
