import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordExpert } from '../__fixtures__/offlineDatasets.js';
import '../index.js';
import { cartPolePPO, pendulumPPO } from '../ppo/tunedExamples.js';
import { CRRConfig } from './config.js';

const root = mkdtempSync(join(tmpdir(), 'loomrl-crr-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Trains CRR on `input` (50 updates of 256 rows per iteration), evaluating greedily every
 * iteration until `target` or `maxIterations`; returns the evaluations seen.
 */
async function crrEvaluations(config: CRRConfig, options: { target: number; maxIterations: number }): Promise<number[]> {
  const algo = config
    .rollouts({ numRolloutWorkers: 0 })
    .training({ trainBatchSize: 256, actorHiddens: [64, 64], criticHiddens: [64, 64], targetNetworkUpdateFreq: 1, tau: 5e-3, gamma: 0.99 })
    .reporting({ minTimeSPerIteration: null, minTrainTimestepsPerIteration: 50 * 256 })
    .evaluation({ evaluationDuration: 10, evaluationConfig: { input: 'sampler', explore: false } })
    .debugging({ seed: 1 })
    .build();
  const seen: number[] = [];
  try {
    for (let i = 0; i < options.maxIterations; i++) {
      await algo.train();
      seen.push((await algo.evaluate()).episodeRewardMean);
      if ((seen.at(-1) as number) >= options.target) break;
    }
  } finally {
    await algo.stop();
  }
  return seen;
}

describe('CRR from logged data (learning regression, pnpm test:learning)', () => {
  it('learns CartPole-v1 from 20k steps of a PPO expert to a greedy evaluation >= 400 (10 episodes)', async () => {
    const dir = join(root, 'cartpole');
    const expert = await recordExpert(cartPolePPO({ seed: 1 }), { dir, target: 475, maxIterations: 150, envSteps: 20_000, explore: true });
    const seen = await crrEvaluations(
      new CRRConfig()
        .environment({ env: 'CartPole-v1' })
        .offlineData({ input: dir })
        .training({ weightType: 'exp', advantageType: 'expectation' }),
      { target: 400, maxIterations: 40 },
    );
    console.log(
      `CRR CartPole: expert greedy ${expert.greedy}, data mean return ${expert.meanReturn.toFixed(1)}; CRR greedy per 50 updates ${seen.join(', ')}`,
    );
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(400);
  }, 1_800_000);

  it("learns Pendulum-v1 from 40k steps of a PPO expert to a greedy evaluation >= -300 (the tutorial's target)", async () => {
    const dir = join(root, 'pendulum');
    const expert = await recordExpert(pendulumPPO({ seed: 1 }), { dir, target: -200, maxIterations: 200, envSteps: 40_000, explore: true });
    expect(expert.greedy).toBeGreaterThanOrEqual(-200);
    const seen = await crrEvaluations(
      new CRRConfig()
        .environment({ env: 'Pendulum-v1' })
        .offlineData({ input: dir, actionsInInputNormalized: true })
        .training({ weightType: 'exp', advantageType: 'mean' }),
      { target: -300, maxIterations: 60 },
    );
    console.log(
      `CRR Pendulum: expert greedy ${expert.greedy.toFixed(0)}, data mean return ${expert.meanReturn.toFixed(1)}; CRR greedy per 50 updates ${seen.map((v) => v.toFixed(0)).join(', ')}`,
    );
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(-300);
  }, 1_800_000);
});
