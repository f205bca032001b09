import { describe, expect, it } from 'vitest';
import '../index.js';
import { interestEvolutionSlateQ } from './tunedExamples.js';

describe('SlateQ on Interest Evolution (learning regression, pnpm test:learning)', () => {
  it('reaches a greedy evaluation return >= 200 (50 users) within 120k env steps (10 candidates, slate 2, seed 0)', async () => {
    const algo = interestEvolutionSlateQ({ seed: 0 }).build();
    let steps = 0;
    let greedy = Number.NaN;
    try {
      while (steps < 120_000) {
        const result = await algo.train();
        steps = result.timestepsTotal;
        if (steps >= 20_000 && steps % 10_000 === 0) {
          greedy = (await algo.evaluate()).episodeRewardMean;
          if (greedy >= 200) break;
        }
      }
    } finally {
      await algo.stop();
    }
    expect(greedy).toBeGreaterThanOrEqual(200);
    expect(steps).toBeLessThanOrEqual(120_000);
  }, 1_800_000);
});
