import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordExpert, writeScriptedEpisodes } from '../__fixtures__/offlineDatasets.js';
import { BCConfig } from '../bc/config.js';
import '../index.js';
import { cartPolePPO } from '../ppo/tunedExamples.js';
import { MARWILConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'loomrl-marwil-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Trains `config` on the mixed data for 60 iterations and returns its greedy evaluation (20 episodes). */
async function greedyAfterTraining(config: MARWILConfig): Promise<number> {
  const algo = config
    .environment({ env: 'CartPole-v1' })
    .offlineData({ input: dir })
    .rollouts({ numRolloutWorkers: 0 })
    .training({ lr: 1e-3, trainBatchSize: 1000, model: { fcnetHiddens: [64, 64] } })
    .evaluation({ evaluationDuration: 20, evaluationConfig: { input: 'sampler', explore: false } })
    .debugging({ seed: 1 })
    .build();
  try {
    for (let i = 0; i < 60; i++) await algo.train();
    return (await algo.evaluate()).episodeRewardMean;
  } finally {
    await algo.stop();
  }
}

describe('MARWIL on mixed CartPole-v1 data (learning regression, pnpm test:learning)', () => {
  it('beats BC on the same data: 10k expert steps mixed with 400 episodes of a policy that always pushes left', async () => {
    const expert = await recordExpert(cartPolePPO({ seed: 1 }), { dir, target: 475, maxIterations: 150, envSteps: 10_000, explore: true });
    const left = writeScriptedEpisodes(dir, 'always-left', { envId: 'CartPole-v1', episodes: 400, seed: 7, policy: () => 0 });
    const bc = await greedyAfterTraining(new BCConfig());
    const marwil = await greedyAfterTraining(new MARWILConfig().training({ beta: 1 }));
    console.log(
      `MARWIL vs BC on mixed CartPole data (expert return ${expert.meanReturn.toFixed(1)}, always-left ${left.toFixed(1)}): MARWIL greedy ${marwil}, BC greedy ${bc}`,
    );
    expect(marwil).toBeGreaterThan(bc);
    expect(marwil).toBeGreaterThan(200);
  }, 1_200_000);
});
