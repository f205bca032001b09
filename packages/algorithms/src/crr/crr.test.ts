import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CRRConfig, pendulumSAC, recordPolicy } from '@loomrl/algorithms';
import { createRng, type TrainResult } from '@loomrl/core';
import { afterAll, describe, expect, it } from 'vitest';
import { writeScriptedEpisodes } from '../__fixtures__/offlineDatasets.js';

const root = mkdtempSync(join(tmpdir(), 'loomrl-crr-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const STAT_KEYS = [
  'lossActor',
  'lossCritic',
  'qBatchAvg',
  'vBatchAvg',
  'advBatchAvg',
  'weightsAvg',
  'weightsMax',
  'weightsMin',
  'tdErrorQ1',
  'tdErrorQ2',
  'targetsAvg',
];

/** Two iterations of `config` (16-unit nets, 64-row batches, at least 16 updates per iteration, targets after each update). */
async function twoIterations(config: CRRConfig): Promise<{ first: TrainResult; second: TrainResult; changed: boolean }> {
  const algo = config
    .rollouts({ numRolloutWorkers: 0 })
    .training({ trainBatchSize: 64, actorHiddens: [16], criticHiddens: [16], actorLr: 3e-3, criticLr: 1e-2, targetNetworkUpdateFreq: 1 })
    .reporting({ minTimeSPerIteration: null, minTrainTimestepsPerIteration: 1024 })
    .debugging({ seed: 4 })
    .build();
  try {
    await algo.ready();
    const before = algo.getWeights();
    const first = await algo.train();
    const second = await algo.train();
    return { first, second, changed: algo.getWeights().some((w, i) => w !== before[i]) };
  } finally {
    await algo.stop();
  }
}

function expectFiniteStats(result: TrainResult): void {
  for (const key of STAT_KEYS) expect(Number.isFinite(result.learnerStats[key]), key).toBe(true);
}

describe('CRR training iterations (default suite; learning to a score is in crr.slow.test.ts)', () => {
  it('trains a categorical actor on CartPole logs with binary weights: Q rises towards the +1-per-step returns', async () => {
    const dir = join(root, 'cartpole');
    const rng = createRng(3, 'behaviour');
    writeScriptedEpisodes(dir, 'random', { envId: 'CartPole-v1', episodes: 30, seed: 1, policy: () => (rng.random() < 0.5 ? 0 : 1) });
    const { first, second, changed } = await twoIterations(
      new CRRConfig()
        .environment({ env: 'CartPole-v1' })
        .offlineData({ input: dir })
        .training({ weightType: 'bin', advantageType: 'mean' }),
    );
    expectFiniteStats(second);
    expect(changed).toBe(true);
    expect(second.learnerStats.rewardBatchAvg).toBe(1);
    // Binary weights are 1{A > 0}.
    expect(second.learnerStats.weightsMin).toBeGreaterThanOrEqual(0);
    expect(second.learnerStats.weightsMax).toBeLessThanOrEqual(1);
    // One soft target update per update (targetNetworkUpdateFreq 1 trained step): at least 10 of 64 rows in an iteration of 1024.
    expect(first.learnerStats.numTargetUpdates).toBeGreaterThanOrEqual(10);
    expect(second.learnerStats.numTargetUpdates).toBeGreaterThanOrEqual((first.learnerStats.numTargetUpdates as number) + 10);
    expect(second.learnerStats.qBatchAvg).toBeGreaterThan(first.learnerStats.qBatchAvg as number);
    // Rows trained count whole 64-row batches, not the rows read (RLlib's num_env_steps_trained).
    expect(second.numEnvStepsTrainedThisIter % 64).toBe(0);
    expect(second.numEnvStepsTrainedThisIter).toBe(
      64 * ((second.learnerStats.numTargetUpdates as number) - (first.learnerStats.numTargetUpdates as number)),
    );
  });

  it('trains a Gaussian actor on Pendulum data with exponential weights clipped at maxWeight: Q falls towards the negative returns', async () => {
    const dir = join(root, 'pendulum');
    const sac = pendulumSAC({ seed: 5, hiddens: [16] }).build();
    try {
      await recordPolicy(sac, { output: dir, minEnvSteps: 800, explore: true });
    } finally {
      await sac.stop();
    }
    const { first, second, changed } = await twoIterations(
      new CRRConfig()
        .environment({ env: 'Pendulum-v1' })
        .offlineData({ input: dir, actionsInInputNormalized: true })
        .training({ weightType: 'exp', advantageType: 'max', maxWeight: 20 }),
    );
    expectFiniteStats(second);
    expect(changed).toBe(true);
    expect(second.learnerStats.weightsMin).toBeGreaterThan(0);
    expect(second.learnerStats.weightsMax).toBeLessThanOrEqual(20);
    // "max" advantages compare with the best of the sampled actions, so they average at most 0.
    expect(second.learnerStats.advBatchAvg).toBeLessThanOrEqual(0);
    expect(second.learnerStats.rewardBatchAvg).toBeLessThan(0);
    expect(second.learnerStats.qBatchAvg).toBeLessThan(first.learnerStats.qBatchAvg as number);
  });
});
