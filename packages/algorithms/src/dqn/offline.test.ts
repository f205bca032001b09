import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DQNConfig } from '@loomrl/algorithms';
import { Box, createRng, Discrete } from '@loomrl/core';
import { afterAll, describe, expect, it } from 'vitest';
import { writeScriptedEpisodes } from '../__fixtures__/offlineDatasets.js';

const dir = mkdtempSync(join(tmpdir(), 'loomrl-dqn-offline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DQN from offline input', () => {
  it('fills its replay buffer from JSON lines read on 2 workers and trains with no env (spaces from environment())', async () => {
    const rng = createRng(3, 'behaviour');
    writeScriptedEpisodes(dir, 'random', { envId: 'CartPole-v1', episodes: 40, seed: 1, policy: () => (rng.random() < 0.5 ? 0 : 1) });
    const algo = new DQNConfig()
      .environment({ observationSpace: new Box({ low: -5, high: 5, shape: [4] }), actionSpace: new Discrete(2) })
      .offlineData({ input: dir })
      .rollouts({ numRolloutWorkers: 2 })
      .training({ trainBatchSize: 32, numStepsSampledBeforeLearningStarts: 0, model: { fcnetHiddens: [16] } })
      .reporting({ minSampleTimestepsPerIteration: 200 })
      .debugging({ seed: 2 })
      .build();
    try {
      const first = await algo.train();
      const second = await algo.train();
      expect(first.numEnvStepsSampledThisIter).toBeGreaterThanOrEqual(200);
      expect(second.learnerStats.replayBufferSize).toBe(first.numEnvStepsSampledThisIter + second.numEnvStepsSampledThisIter);
      expect(second.numEnvStepsTrainedThisIter).toBeGreaterThan(0);
      expect(Number.isFinite(second.learnerStats.meanQ)).toBe(true);
      expect(algo.computeSingleAction(Float32Array.of(0, 0, 0.1, 0), { explore: false })).toBeTypeOf('number');
    } finally {
      await algo.stop();
    }
  });
});
