import { fileURLToPath } from 'node:url';
import { PPOConfig } from '@loomrl/algorithms';
import { EnvError } from '@loomrl/core';
import { WorkerError } from '@loomrl/workers';
import { describe, expect, it } from 'vitest';

const badValueEnvs = fileURLToPath(new URL('./__fixtures__/badValueEnvs.js', import.meta.url));

function config(env: string, numRolloutWorkers: number): PPOConfig {
  return new PPOConfig()
    .environment({ env, envModules: [badValueEnvs], envConfig: { badEnv: 1, badAtStep: 5 } })
    .rollouts({ numRolloutWorkers, numEnvsPerWorker: 2 })
    .training({ trainBatchSize: 64, sgdMinibatchSize: 64, numSgdIter: 1, model: { fcnetHiddens: [8] } })
    .debugging({ seed: 1, logLevel: 'SILENT' });
}

async function trainError(env: string, workers: number): Promise<WorkerError> {
  const algo = config(env, workers).build();
  try {
    await algo.train();
  } catch (error) {
    return error as WorkerError;
  } finally {
    await algo.stop();
  }
  throw new Error(`training on ${env} did not fail`);
}

describe('values an env returns', () => {
  it.each([0, 1])('refuses a NaN observation, naming the env, worker, sub-env, step and value (%i remote workers)', async (workers) => {
    const error = await trainError('fixture/NanObs-v0', workers);
    expect(error).toBeInstanceOf(WorkerError);
    expect(error.cause).toBeInstanceOf(EnvError);
    expect(error.message).toMatch(
      new RegExp(`env "fixture/NanObs-v0" \\(worker ${workers}, sub-env 1\\) returned observation\\[2\\] = NaN at step 5 of its episode`),
    );
  });

  it.each([0, 1])('refuses an infinite reward (%i remote workers)', async (workers) => {
    const error = await trainError('fixture/InfReward-v0', workers);
    expect(error.cause).toBeInstanceOf(EnvError);
    expect(error.message).toMatch(/returned reward = Infinity at step 5 of its episode/);
  });

  it('says that steps are synchronous when step() returns a Promise', async () => {
    const error = await trainError('fixture/AsyncStep-v0', 0);
    expect(error.cause).toBeInstanceOf(EnvError);
    expect(error.message).toMatch(/returned a Promise from step\(\): LoomRL steps envs synchronously/);
  });
});
