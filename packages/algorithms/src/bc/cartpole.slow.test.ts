import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordExpert } from '../__fixtures__/offlineDatasets.js';
import '../index.js';
import { cartPolePPO } from '../ppo/tunedExamples.js';
import { BCConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'loomrl-bc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('BC on CartPole-v1 expert data (learning regression, pnpm test:learning)', () => {
  it('clones a PPO expert from 20k logged steps to a greedy evaluation > 400 (20 episodes)', async () => {
    const expert = await recordExpert(cartPolePPO({ seed: 1 }), { dir, target: 475, maxIterations: 150, envSteps: 20_000, explore: true });
    expect(expert.greedy).toBeGreaterThanOrEqual(475);
    const bc = new BCConfig()
      .environment({ env: 'CartPole-v1' })
      .offlineData({ input: dir })
      .rollouts({ numRolloutWorkers: 0 })
      .training({ lr: 1e-3, trainBatchSize: 1000, model: { fcnetHiddens: [64, 64] } })
      .evaluation({ evaluationDuration: 20, evaluationConfig: { input: 'sampler', explore: false } })
      .debugging({ seed: 1 })
      .build();
    let greedy = Number.NEGATIVE_INFINITY;
    const history: number[] = [];
    try {
      for (let i = 1; i <= 100 && greedy <= 400; i++) {
        await bc.train();
        if (i % 5 === 0) {
          greedy = (await bc.evaluate()).episodeRewardMean;
          history.push(greedy);
        }
      }
    } finally {
      await bc.stop();
    }
    console.log(
      `BC CartPole: expert greedy ${expert.greedy}, data mean return ${expert.meanReturn.toFixed(1)}; BC greedy every 5 iterations ${history.join(', ')}`,
    );
    expect(greedy).toBeGreaterThan(400);
  }, 1_200_000);
});
