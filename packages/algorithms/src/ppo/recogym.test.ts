import { describe, expect, it } from 'vitest';
import '../index.js';
import { PPOConfig } from './config.js';

/** PPO on RecoGym's LoomRL face, locally and on worker threads: it builds, samples and learns without NaNs. */
describe('PPO on RecoGym-v1', () => {
  const config = (numRolloutWorkers: number) =>
    new PPOConfig()
      .environment({ env: 'RecoGym-v1', envConfig: { numProducts: 10, observationFeatures: 'frequencies' } })
      .rollouts({ numRolloutWorkers, numEnvsPerWorker: 4 })
      .training({ trainBatchSize: 512, sgdMinibatchSize: 128, numSgdIter: 2, lr: 1e-3, model: { fcnetHiddens: [32] } })
      .evaluation({ evaluationDuration: 20, evaluationConfig: { explore: false } })
      .debugging({ seed: 4 });

  it.each([0, 2])(
    'trains with %i remote workers and reports finite learner stats and click returns',
    async (workers) => {
      const algo = config(workers).build();
      try {
        let result = await algo.train();
        result = await algo.train();
        expect(result.numHealthyWorkers).toBe(Math.max(1, workers));
        expect(result.timestepsTotal).toBe(1024);
        for (const key of ['totalLoss', 'policyLoss', 'vfLoss', 'entropy', 'kl'] as const)
          expect(Number.isFinite(result.learnerStats[key]), key).toBe(true);
        expect(result.episodesTotal).toBeGreaterThan(0);
        expect(result.episodeRewardMean).toBeGreaterThanOrEqual(0);
        const evaluation = await algo.evaluate();
        expect(evaluation.episodesThisIter).toBe(20);
        expect(Number.isFinite(evaluation.episodeRewardMean)).toBe(true);
      } finally {
        await algo.stop();
      }
    },
    60_000,
  );
});
