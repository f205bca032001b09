import { describe, expect, it } from 'vitest';
import '../index.js';
import { cartPoleDQN } from './tunedExamples.js';

/** Env steps until the greedy policy scores ≥ 475 over 20 episodes (evaluated after every iteration from 15k steps on), or NaN. */
async function stepsToGreedy475(numRolloutWorkers: number): Promise<{ steps: number; greedy: number }> {
  const algo = cartPoleDQN({ seed: 1, numRolloutWorkers }).build();
  let steps = 0;
  let greedy = Number.NaN;
  try {
    while (steps < 50_000) {
      const result = await algo.train();
      steps = result.timestepsTotal;
      if (steps >= 15_000) {
        greedy = (await algo.evaluate()).episodeRewardMean;
        if (greedy >= 475) break;
      }
    }
  } finally {
    await algo.stop();
  }
  return { steps, greedy };
}

describe('DQN on CartPole-v1 (learning regression, pnpm test:learning)', () => {
  it.each([0, 2])(
    'reaches a greedy evaluation >= 475 (20 episodes) within 50k env steps on %i remote workers',
    async (workers) => {
      const { steps, greedy } = await stepsToGreedy475(workers);
      expect(greedy).toBeGreaterThanOrEqual(475);
      expect(steps).toBeLessThanOrEqual(50_000);
    },
    1_800_000,
  );
});
