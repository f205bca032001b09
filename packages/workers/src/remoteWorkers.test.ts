import { fileURLToPath } from 'node:url';
import { cartPolePPO, PPOConfig } from '@loomrl/algorithms';
import { describe, expect, it } from 'vitest';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

function userEnvConfig(env: string, module: string, seed = 3): PPOConfig {
  return new PPOConfig()
    .environment({ env, envModules: [fixture(module)] })
    .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 4 })
    .training({ trainBatchSize: 256, sgdMinibatchSize: 64, numSgdIter: 2, model: { fcnetHiddens: [16, 16] } })
    .debugging({ seed });
}

describe('remote rollout workers with user env modules', () => {
  it.each([
    ['a TypeScript file', 'fixture/CorridorTs-v0', 'corridorTs.ts'],
    ['a JavaScript file', 'fixture/CorridorJs-v0', 'corridorJs.js'],
  ])('train a user env defined in %s on 2 worker threads', async (_kind, env, module) => {
    const algo = userEnvConfig(env, module).build();
    try {
      const first = await algo.train();
      const second = await algo.train();
      expect(first.numHealthyWorkers).toBe(2);
      expect(first.numEnvStepsSampledThisIter).toBe(256);
      expect(second.numEnvStepsSampled).toBe(512);
      expect(second.episodesTotal).toBeGreaterThan(0);
      expect(second.weightVersionLag).toBe(0);
      expect(second.samplerPerf.meanInferenceMs).toBeGreaterThan(0);
    } finally {
      await algo.stop();
    }
  });

  it('gives bit-identical weights for the same seed and worker count', async () => {
    const run = async (): Promise<Float32Array> => {
      const algo = userEnvConfig('fixture/CorridorJs-v0', 'corridorJs.js', 11).build();
      try {
        await algo.train();
        await algo.train();
        return algo.getWeights();
      } finally {
        await algo.stop();
      }
    };
    const [a, b] = [await run(), await run()];
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  it('gives the same results for 16 envs however they are split: local, 1 thread × 16, 2 threads × 8', async () => {
    const runThree = async (numRolloutWorkers: number, numEnvsPerWorker: number) => {
      const algo = cartPolePPO({ seed: 11, numRolloutWorkers, numEnvsPerWorker }).training({ numSgdIter: 2 }).build();
      try {
        const results = [];
        for (let i = 0; i < 3; i++) {
          const { episodeRewardMean, episodeRewardMin, episodeRewardMax, episodeLenMean, episodesThisIter, learnerStats } =
            await algo.train();
          results.push({ episodeRewardMean, episodeRewardMin, episodeRewardMax, episodeLenMean, episodesThisIter, learnerStats });
        }
        return { results, weights: Array.from(algo.getWeights()) };
      } finally {
        await algo.stop();
      }
    };
    const local = await runThree(0, 16);
    expect(await runThree(1, 16)).toEqual(local);
    expect(await runThree(2, 8)).toEqual(local);
  }, 120_000);

  it('evaluates on evaluation worker threads and reports their episodes', async () => {
    const algo = userEnvConfig('fixture/CorridorJs-v0', 'corridorJs.js')
      .evaluation({ evaluationInterval: 1, evaluationDuration: 5, evaluationNumWorkers: 2, evaluationConfig: { explore: false } })
      .build();
    try {
      const result = await algo.train();
      expect(result.evaluation?.episodesThisIter).toBe(5);
    } finally {
      await algo.stop();
    }
  });
  it('evaluates the pre-update weights in parallel with the training step', async () => {
    const config = (parallel: boolean) =>
      cartPolePPO({ seed: 5, numRolloutWorkers: 2, numEnvsPerWorker: 4 }).evaluation({
        evaluationInterval: 1,
        evaluationDuration: 8,
        evaluationNumWorkers: 2,
        evaluationParallelToTraining: parallel,
        evaluationConfig: { explore: false },
      });
    const [parallel, sequential, fresh] = [config(true).build(), config(false).build(), config(true).build()];
    try {
      const beforeTraining = await fresh.evaluate();
      expect((await parallel.train()).evaluation).toEqual(beforeTraining);
      expect((await sequential.train()).evaluation).not.toEqual(beforeTraining);
    } finally {
      await Promise.all([parallel.stop(), sequential.stop(), fresh.stop()]);
    }
  });
});

describe('start-up errors of remote workers', () => {
  it('rejects train() naming the worker and the module when an env module fails to import', async () => {
    const algo = userEnvConfig('fixture/CorridorJs-v0', 'failsOnImport.js').build();
    try {
      await expect(algo.train()).rejects.toThrow(/rollout worker 1 .*failsOnImport\.js.*fails to import on purpose/s);
    } finally {
      await algo.stop();
    }
  });

  it('rejects train() naming the worker and the cause when the env creator throws', async () => {
    const algo = userEnvConfig('fixture/CreatorThrows-v0', 'faultyEnvs.js').build();
    try {
      await expect(algo.train()).rejects.toThrow(/rollout worker 1 \(env "fixture\/CreatorThrows-v0"\).*creator refused on purpose/s);
    } finally {
      await algo.stop();
    }
  });

  it('rejects an unknown env id from train() with the registered ids', async () => {
    const algo = new PPOConfig().environment({ env: 'NoSuchEnv-v0' }).rollouts({ numRolloutWorkers: 2 }).build();
    try {
      await expect(algo.train()).rejects.toThrow(/rollout worker 1 .*Unknown env id "NoSuchEnv-v0"/s);
    } finally {
      await algo.stop();
    }
  });

  it.each([-1, 1.5])('refuses numRolloutWorkers %s when the config is set', (count) => {
    expect(() => new PPOConfig().rollouts({ numRolloutWorkers: count })).toThrow(/numRolloutWorkers/);
  });
});
