import { fileURLToPath } from 'node:url';
import { PPOConfig } from '@loomrl/algorithms';
import { AlgorithmError, EnvError } from '@loomrl/core';
import { WorkerError } from '@loomrl/workers';
import { describe, expect, it } from 'vitest';

const faultyEnvs = fileURLToPath(new URL('./__fixtures__/faultyEnvs.js', import.meta.url));

// Worker 1's first env breaks at its 40th step: inside the second iteration (32 steps per env per iteration).
function faultyConfig(
  env: string,
  recreate: boolean,
  options: { ignore?: boolean; maxRestarts?: number; failWorker?: number | 'all'; workers?: number } = {},
): PPOConfig {
  return new PPOConfig()
    .environment({ env, envModules: [faultyEnvs], envConfig: { failWorker: options.failWorker ?? 1, failAtStep: 40 } })
    .rollouts({ numRolloutWorkers: options.workers ?? 2, numEnvsPerWorker: 4 })
    .training({ trainBatchSize: 256, sgdMinibatchSize: 64, numSgdIter: 1, model: { fcnetHiddens: [8] } })
    .faultTolerance({
      recreateFailedWorkers: recreate,
      ignoreWorkerFailures: options.ignore ?? false,
      maxNumWorkerRestarts: options.maxRestarts ?? 3,
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

  /** The error `promise` rejects with (fails the test when it resolves). */
  async function rejection(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e as Error,
    );
  }

  it('with ignoreWorkerFailures, drops the failed worker, finishes the iteration on the other and says so', async () => {
    const algo = faultyConfig('fixture/ThrowAtStep-v0', false, { ignore: true }).build();
    try {
      expect((await algo.train()).numHealthyWorkers).toBe(2);
      const failing = await algo.train();
      expect(failing.trainingIteration).toBe(2);
      expect(failing.numHealthyWorkers).toBe(1);
      expect(failing.numRemoteWorkerRestarts).toBe(0);
      expect(failing.numEnvStepsSampledThisIter).toBeGreaterThanOrEqual(256);
      const next = await algo.train();
      expect(next.trainingIteration).toBe(3);
      expect(next.numHealthyWorkers).toBe(1);
      expect(next.numEnvStepsSampledThisIter).toBeGreaterThanOrEqual(256);
    } finally {
      await algo.stop();
    }
  });

  it('without recreation or ignoring, fails the algorithm: every later train() and evaluate() says so', async () => {
    const algo = faultyConfig('fixture/ThrowAtStep-v0', false).build();
    try {
      const first = await algo.train();
      const error = await rejection(algo.train());
      expect(error).toBeInstanceOf(WorkerError);
      expect((error as WorkerError).code).toBe('WORKER_FAILED');
      for (const later of [algo.train(), algo.evaluate()]) {
        const sticky = await rejection(later);
        expect(sticky).toBeInstanceOf(AlgorithmError);
        expect((sticky as AlgorithmError).code).toBe('ALGORITHM_FAILED');
        expect(sticky.message).toMatch(/failed earlier with: rollout worker 1 .*fixture env broke on purpose/);
        expect(sticky.cause).toBe(error);
      }
      // The last good state can still be read (and saved).
      expect(algo.getWeights().length).toBeGreaterThan(0);
      expect(first.trainingIteration).toBe(1);
    } finally {
      await algo.stop();
    }
  });

  it('raises WORKER_RESTARTS_EXHAUSTED once maxNumWorkerRestarts is used up, and keeps raising it', async () => {
    const algo = faultyConfig('fixture/ThrowAtStep-v0', true, { maxRestarts: 0 }).build();
    try {
      await algo.train();
      const error = await rejection(algo.train());
      expect(error).toBeInstanceOf(WorkerError);
      expect((error as WorkerError).code).toBe('WORKER_RESTARTS_EXHAUSTED');
      expect(error.message).toMatch(
        /rollout worker 1 .*fixture env broke on purpose faultTolerance\(\{ maxNumWorkerRestarts: 0 \}\) is used up/,
      );
      expect((await rejection(algo.train())).cause).toBe(error);
    } finally {
      await algo.stop();
    }
  });

  it('with ignoreWorkerFailures, reports NO_HEALTHY_WORKERS when every worker has failed', async () => {
    const algo = faultyConfig('fixture/ThrowAtStep-v0', false, { ignore: true, failWorker: 'all' }).build();
    try {
      await algo.train();
      const error = await rejection(algo.train());
      expect(error).toBeInstanceOf(WorkerError);
      expect((error as WorkerError).code).toBe('NO_HEALTHY_WORKERS');
      expect(error.message).toMatch(/No healthy workers are left/);
    } finally {
      await algo.stop();
    }
  });

  it('reports a local worker failure as a WorkerError of worker 0, with the original error class as cause, on threads too', async () => {
    const local = faultyConfig('fixture/ThrowAtStep-v0', false, { failWorker: 'all', workers: 0 })
      .environment({ env: 'NoSuchEnv-v0' })
      .build();
    const remote = faultyConfig('fixture/ThrowAtStep-v0', false, { workers: 1 }).environment({ env: 'NoSuchEnv-v0' }).build();
    try {
      for (const [algo, index] of [
        [local, 0],
        [remote, 1],
      ] as const) {
        const error = await rejection(algo.train());
        expect(error).toBeInstanceOf(WorkerError);
        expect(error.message).toMatch(
          new RegExp(`rollout worker ${index} \\(env "NoSuchEnv-v0"\\) failed in start\\(\\): Unknown env id "NoSuchEnv-v0"`),
        );
        expect(error.cause).toBeInstanceOf(EnvError);
      }
    } finally {
      await Promise.all([local.stop(), remote.stop()]);
    }
  });
});
