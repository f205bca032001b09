import { fileURLToPath } from 'node:url';
import { PPOConfig } from '@loomrl/algorithms';
import { describe, expect, it } from 'vitest';

const faultyEnvs = fileURLToPath(new URL('./__fixtures__/faultyEnvs.js', import.meta.url));

// Worker 1's first env breaks at its 40th step: inside the second iteration (32 steps per env per iteration).
function faultyConfig(env: string, recreate: boolean): PPOConfig {
  return new PPOConfig()
    .environment({ env, envModules: [faultyEnvs], envConfig: { failWorker: 1, failAtStep: 40 } })
    .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 4 })
    .training({ trainBatchSize: 256, sgdMinibatchSize: 64, numSgdIter: 1, model: { fcnetHiddens: [8] } })
    .faultTolerance({
      recreateFailedWorkers: recreate,
      maxNumWorkerRestarts: 3,
      delayBetweenWorkerRestartsS: 0,
      workerHealthProbeTimeoutS: 3,
    })
    .debugging({ seed: 5, logLevel: 'SILENT' });
}

describe('fault tolerance of remote rollout workers', () => {
  it.each([
    ['whose env throws', 'fixture/ThrowAtStep-v0'],
    ['whose thread calls process.exit', 'fixture/ExitAtStep-v0'],
    ['that hangs past workerHealthProbeTimeoutS', 'fixture/HangAtStep-v0'],
  ])('replaces a worker %s and keeps training with the full worker count', async (_what, env) => {
    const algo = faultyConfig(env, true).build();
    try {
      const first = await algo.train();
      expect(first.numRemoteWorkerRestarts).toBe(0);
      const failing = await algo.train();
      expect(failing.numRemoteWorkerRestarts).toBe(1);
      // The healthy worker's samples finish the iteration (more rounds make up the lost fragment).
      expect(failing.numEnvStepsSampledThisIter).toBeGreaterThanOrEqual(256);
      const next = await algo.train();
      expect(next.numHealthyWorkers).toBe(2);
      expect(next.numRemoteWorkerRestarts).toBe(1);
      expect(next.numEnvStepsSampledThisIter).toBe(256);
    } finally {
      await algo.stop();
    }
  });

  it('rejects train() naming the worker index, the env id and the original stack when recreation is off', async () => {
    const algo = faultyConfig('fixture/ThrowAtStep-v0', false).build();
    try {
      await algo.train();
      const error = await algo.train().then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(
        /rollout worker 1 \(env "fixture\/ThrowAtStep-v0"\) failed in sample\(\): fixture env broke on purpose/,
      );
      expect(error?.message).toMatch(/original stack \(worker thread 1\)[\s\S]*faultyEnvs\.js/);
    } finally {
      await algo.stop();
    }
  });
});
