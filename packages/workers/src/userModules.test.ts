import { fileURLToPath } from 'node:url';
import { DQNConfig } from '@loomrl/algorithms';
import { ConfigError, DataError } from '@loomrl/core';
import { WorkerError } from '@loomrl/workers';
import { describe, expect, it } from 'vitest';

const jsModules = fileURLToPath(new URL('./__fixtures__/userModules.js', import.meta.url));
const tsModules = fileURLToPath(new URL('./__fixtures__/userModules.ts', import.meta.url));

function dqnActingWith(kind: string, modules: string, workers: number): DQNConfig {
  return new DQNConfig()
    .environment({ env: 'CartPole-v1' })
    .rollouts({ numRolloutWorkers: workers, numEnvsPerWorker: 2, rolloutFragmentLength: 25 })
    .training({ numStepsSampledBeforeLearningStarts: 10_000, model: { fcnetHiddens: [8] }, hiddens: [] })
    .rlModule({ moduleKind: kind, modules: [modules], moduleConfig: { action: 1 } })
    .reporting({ minSampleTimestepsPerIteration: 200 })
    .debugging({ seed: 2, logLevel: 'SILENT' });
}

describe('user module kinds', () => {
  it.each([
    ['.js', 'fixture/ConstantAction-js', jsModules],
    ['.ts', 'fixture/ConstantAction-ts', tsModules],
  ])('act on 2 worker threads from a %s module the config names', async (_ext, kind, modules) => {
    const algo = dqnActingWith(kind, modules, 2).build();
    try {
      const result = await algo.train();
      // Always pushing right ends CartPole within about ten steps (a random policy lasts ~22).
      expect(result.episodesThisIter).toBeGreaterThan(10);
      expect(result.episodeLenMean).toBeLessThan(12);
      expect(algo.computeSingleAction(Float32Array.of(0, 0, 0, 0))).toBe(1);
    } finally {
      await algo.stop();
    }
  });

  it('names the registered kinds when a config asks for an unknown one', async () => {
    const algo = dqnActingWith('fixture/NoSuchKind', jsModules, 0).build();
    try {
      const error = await algo.train().then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect(error?.message).toMatch(
        /Unknown module kind "fixture\/NoSuchKind"\..*Registered kinds: .*actorCritic.*fixture\/ConstantAction-js.*qNetwork/,
      );
    } finally {
      await algo.stop();
    }
  });

  it('refuses a module whose output columns disagree with its declaration, on a worker thread', async () => {
    const algo = dqnActingWith('fixture/WrongColumns', jsModules, 1).build();
    try {
      const error = await algo.train().then(
        () => null,
        (e: unknown) => e as WorkerError,
      );
      expect(error).toBeInstanceOf(WorkerError);
      expect(error?.cause).toBeInstanceOf(DataError);
      expect(error?.message).toMatch(/Module "fixture\/WrongColumns" wrote columns \[\]; it declared \[actionProb\]/);
    } finally {
      await algo.stop();
    }
  });
});
