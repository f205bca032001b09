import { describe, expect, it } from 'vitest';
import '../index.js';
import { pendulumPPO } from './tunedExamples.js';

describe('PPO on Pendulum-v1 (learning regression, pnpm test:learning)', () => {
  it('reaches a greedy evaluation >= -400 within 400k env steps', async () => {
    const algo = pendulumPPO({ seed: 1 }).build();
    let evaluation = Number.NEGATIVE_INFINITY;
    let steps = 0;
    while (steps < 400_000) {
      const result = await algo.train();
      steps = result.timestepsTotal;
      if (result.episodeRewardMean >= -400 && result.trainingIteration % 5 === 0) {
        evaluation = (await algo.evaluate()).episodeRewardMean;
        if (evaluation >= -400) break;
      }
    }
    await algo.stop();
    expect(steps).toBeLessThanOrEqual(400_000);
    expect(evaluation).toBeGreaterThanOrEqual(-400);
  }, 900_000);
});
