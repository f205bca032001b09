import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyPPO } from '../__fixtures__/tinyPPO.js';
import { runExperiment } from '../experiment/runExperiment.js';
import { gridSearch } from '../search/space.js';
import { ASHAScheduler } from './asha.js';

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

describe('ASHA in an experiment', () => {
  it('stops the trials whose learning rate cannot learn at the first rung and lets a good one run to maxT', async () => {
    const storagePath = await mkdtemp(join(tmpdir(), 'loomrl-asha-'));
    roots.push(storagePath);
    const analysis = await runExperiment({
      config: tinyPPO({ trainBatchSize: 1024, numSgdIter: 4 }),
      paramSpace: { lr: gridSearch([3e-3, 2e-3, 1e-9, 2e-9]) },
      scheduler: new ASHAScheduler({ timeAttr: 'training_iteration', maxT: 9, gracePeriod: 3, reductionFactor: 2 }),
      metric: 'episode_reward_mean',
      mode: 'max',
      maxConcurrentTrials: 2,
      numCpus: 2,
      storagePath,
      name: 'asha',
      verbose: 0,
    });
    const iterations = analysis.rows.map((r) => r.trainingIteration);
    const reasons = analysis.trials.map((t) => t.stopReason);
    expect(reasons).toEqual(['scheduler', 'scheduler', 'scheduler', 'scheduler']);
    expect(iterations.slice(2)).toEqual([3, 3]);
    expect(Math.max(...(iterations.slice(0, 2) as number[]))).toBe(9);
    expect(analysis.getBestResult()?.evaluatedParams.lr).toBeGreaterThan(1e-3);
  });
});
