import { PPOConfig } from '@loomrl/algorithms';
import { describe, expect, it } from 'vitest';

// The demo's hyperparameters (examples/cartpole-ppo.ts) on 2 worker threads × 8 envs.
function cartPoleConfig(seed: number): PPOConfig {
  return new PPOConfig()
    .environment({ env: 'CartPole-v1' })
    .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 8 })
    .training({
      trainBatchSize: 1024,
      sgdMinibatchSize: 256,
      numSgdIter: 10,
      lr: 1e-3,
      lrSchedule: [
        [0, 1e-3],
        [100_000, 1e-4],
      ],
      gamma: 0.99,
      lambda: 0.95,
      clipParam: 0.2,
      vfClipParam: 10_000,
      vfLossCoeff: 0.5,
      entropyCoeff: 0.0,
      useKlLoss: false,
      model: { fcnetHiddens: [64, 64], fcnetActivation: 'tanh' },
    })
    .evaluation({ evaluationDuration: 20, evaluationConfig: { explore: false } })
    .debugging({ seed });
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
