import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CQLConfig, pendulumSAC, recordPolicy } from '@loomrl/algorithms';
import type { LearnerState, TrainResult } from '@loomrl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'loomrl-cql-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 800 Pendulum steps of an untrained SAC actor (4 envs: lines of 800 rows, several 64-row batches each). */
beforeAll(async () => {
  const sac = pendulumSAC({ seed: 5, hiddens: [16] }).build();
  try {
    await recordPolicy(sac, { output: dir, minEnvSteps: 800, explore: true });
  } finally {
    await sac.stop();
  }
});

const STAT_KEYS = ['actorLoss', 'criticLoss', 'cqlLoss', 'alphaLoss', 'alphaValue', 'targetEntropy', 'meanQ', 'maxQ', 'minQ'];

/** CQL on the recorded data: 64-row batches, 2 sampled actions per source, BC for the first 20 gradient steps. */
function smallCQL(training: Parameters<CQLConfig['training']>[0] = {}) {
  const net = { fcnetHiddens: [16], fcnetActivation: 'relu' as const };
  return new CQLConfig()
    .environment({ env: 'Pendulum-v1' })
    .offlineData({ input: dir, actionsInInputNormalized: true })
    .rollouts({ numRolloutWorkers: 0 })
    .training({
      trainBatchSize: 64,
      bcIters: 20,
      numActions: 2,
      qModelConfig: net,
      policyModelConfig: net,
      optimization: { actorLearningRate: 3e-3, criticLearningRate: 3e-3, entropyLearningRate: 3e-3 },
      ...training,
    })
    .reporting({ minTimeSPerIteration: null, minTrainTimestepsPerIteration: 128 })
    .debugging({ seed: 2 })
    .build();
}

/** The learner's weight sets, as a checkpoint would store them. */
async function learnerWeights(algo: ReturnType<typeof smallCQL>): Promise<LearnerState['weights']> {
  return (await (algo as unknown as { getLearnerState(): Promise<LearnerState> }).getLearnerState()).weights;
}

describe('CQL training iterations (default suite; learning to a score is in pendulum.slow.test.ts)', () => {
  it('clones the data for bcIters gradient steps, then trains the actor on Q, with finite stats and changed weights', async () => {
    const algo = smallCQL();
    const results: TrainResult[] = [];
    try {
      await algo.ready();
      const before = algo.getWeights();
      for (let i = 0; i < 2; i++) results.push(await algo.train());
      const [first, second] = results as [TrainResult, TrainResult];
      for (const key of STAT_KEYS) expect(Number.isFinite(second.learnerStats[key]), key).toBe(true);
      // One 800-row line per training step: 12 updates of 64 rows.
      expect(first.numEnvStepsTrainedThisIter).toBe(12 * 64);
      expect(first.learnerStats.bcPhase).toBe(1);
      expect(second.learnerStats.bcPhase).toBe(0);
      expect(algo.getWeights().some((w, i) => w !== before[i])).toBe(true);
      // The penalty (logsumexp over sampled actions minus Q on the data) is what the critics shrink.
      expect(second.learnerStats.cqlLoss).toBeLessThan(first.learnerStats.cqlLoss as number);
    } finally {
      await algo.stop();
    }
  });

  it('soft-updates the targets after every update of a round (τ = 1: the targets equal the critics afterwards)', async () => {
    const algo = smallCQL({ tau: 1, targetNetworkUpdateFreq: 1 });
    try {
      await algo.ready();
      const initial = await learnerWeights(algo);
      await algo.train();
      const weights = await learnerWeights(algo);
      expect(weights.q1).not.toEqual(initial.q1);
      expect(weights.q1Target).toEqual(weights.q1);
      expect(weights.q2Target).toEqual(weights.q2);
    } finally {
      await algo.stop();
    }
  });

  it("tunes the penalty's weight α′ with the Lagrangian", async () => {
    const algo = smallCQL({ lagrangian: true, lagrangianThresh: 5 });
    try {
      const result = await algo.train();
      expect(Number.isFinite(result.learnerStats.alphaPrimeLoss)).toBe(true);
      expect(result.learnerStats.alphaPrimeValue).toBeGreaterThan(0);
      expect(result.learnerStats.alphaPrimeValue).not.toBe(1);
    } finally {
      await algo.stop();
    }
  });
});
