import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Algorithm, Box, CheckpointError, createRng, type TrainResult } from '@loomrl/core';
import { tf } from '@loomrl/core/tf';
import { afterAll, describe, expect, it } from 'vitest';
import '../index.js';
import { PPOConfig } from './config.js';
import { cartPolePPO } from './tunedExamples.js';

const run = promisify(execFile);
const childScript = fileURLToPath(new URL('./__fixtures__/restoreChild.mjs', import.meta.url));

/** The parts of a result that must not depend on wall-clock time. */
function deterministicPart(r: TrainResult) {
  const { timeThisIterS, timeTotalS, timers, samplerPerf, ...rest } = r;
  return rest;
}

describe('PPO', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('learns CartPole-v1 to a greedy evaluation >= 475 within 150k env steps', async () => {
    const algo = cartPolePPO({ seed: 1 }).build();
    let evaluation = Number.NaN;
    let steps = 0;
    while (steps < 150_000) {
      const result = await algo.train();
      steps = result.timestepsTotal;
      if (result.episodeRewardMean >= 450) {
        evaluation = (await algo.evaluate()).episodeRewardMean;
        if (evaluation >= 475) break;
      }
    }
    await algo.stop();
    expect(steps).toBeLessThanOrEqual(150_000);
    expect(evaluation).toBeGreaterThanOrEqual(475);
  }, 300_000);

  it('gives bit-identical results for the first three iterations with the same seed', async () => {
    const runThree = async () => {
      const algo = cartPolePPO({ seed: 7 }).training({ numSgdIter: 2 }).build();
      const results = [];
      for (let i = 0; i < 3; i++) results.push(deterministicPart(await algo.train()));
      const weights = algo.getWeights();
      await algo.stop();
      return { results, weights };
    };
    const a = await runThree();
    const b = await runThree();
    expect(b.results).toEqual(a.results);
    expect(Buffer.from(b.weights.buffer).equals(Buffer.from(a.weights.buffer))).toBe(true);
    const other = cartPolePPO({ seed: 8 }).training({ numSgdIter: 2 }).build();
    const first = await other.train();
    await other.stop();
    expect(first.learnerStats.totalLoss).not.toBe(a.results[0]?.learnerStats.totalLoss);
  }, 120_000);

  it('evaluates the same episodes for the same seed', async () => {
    const evaluateOnce = async (seed: number) => {
      const algo = cartPolePPO({ seed }).evaluation({ evaluationDuration: 5 }).build();
      const evaluation = await algo.evaluate();
      await algo.stop();
      return evaluation;
    };
    const [a, b, other] = [await evaluateOnce(6), await evaluateOnce(6), await evaluateOnce(9)];
    expect(b).toEqual(a);
    expect(other).not.toEqual(a);
  }, 60_000);

  it('restores a checkpoint in a fresh process: same greedy actions on 100 observations, counters continue', async () => {
    const algo = cartPolePPO({ seed: 3 }).build();
    await algo.train();
    const saved = await algo.train();
    const dir = await mkdtemp(join(tmpdir(), 'loomrl-ckpt-'));
    dirs.push(dir);
    const checkpoint = await algo.save(join(dir, 'checkpoint'));
    const space = new Box({ low: [-2.4, -3, -0.2, -3], high: [2.4, 3, 0.2, 3] });
    const rng = createRng(11);
    const observations = Array.from({ length: 100 }, () => Array.from(space.sample(rng)));
    const expected = observations.map((o) => algo.computeSingleAction(Float32Array.from(o), { explore: false }));
    await algo.stop();
    const obsFile = join(dir, 'obs.json');
    await writeFile(obsFile, JSON.stringify(observations));
    const { stdout } = await run(process.execPath, [childScript, checkpoint, obsFile], { cwd: dir });
    const child = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
      actions: number[];
      trainingIteration: number;
      timestepsTotal: number;
    };
    expect(child.actions).toEqual(expected);
    expect(child.trainingIteration).toBe(saved.trainingIteration + 1);
    expect(child.timestepsTotal).toBe(saved.timestepsTotal + 1024);
  }, 120_000);

  it('rejects a missing, a foreign and a truncated checkpoint with a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loomrl-bad-'));
    dirs.push(dir);
    await expect(Algorithm.fromCheckpoint(join(dir, 'nope'))).rejects.toThrow(/does not exist/);
    await expect(Algorithm.fromCheckpoint(dir)).rejects.toThrow(/is not a LoomRL checkpoint/);
    const algo = cartPolePPO({ seed: 2 }).build();
    await algo.train();
    const checkpoint = await algo.save(join(dir, 'ckpt'));
    await algo.stop();
    const { files } = JSON.parse(await readFile(join(checkpoint, 'loomrl_checkpoint.json'), 'utf8')) as {
      files: Record<string, { path: string }>;
    };
    await truncate(join(checkpoint, files['weights.policy.bin']?.path ?? ''), 100);
    await expect(Algorithm.fromCheckpoint(checkpoint)).rejects.toThrow(CheckpointError);
    await expect(Algorithm.fromCheckpoint(checkpoint)).rejects.toThrow(/truncated: weights.policy.bin has 100 bytes/);
  }, 60_000);

  it('replaces a checkpoint only with a complete one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loomrl-atomic-'));
    dirs.push(dir);
    const algo = cartPolePPO({ seed: 2 }).build();
    await algo.train();
    const path = await algo.save(join(dir, 'ckpt'));
    const before = await readFile(join(path, 'loomrl_checkpoint.json'), 'utf8');
    await algo.train();
    await algo.save(path);
    const after = await readFile(join(path, 'loomrl_checkpoint.json'), 'utf8');
    await algo.stop();
    expect(after).not.toEqual(before);
    expect(JSON.parse(after).counters.trainingIteration).toBe(2);
  }, 60_000);

  it('keeps the tfjs tensor count flat across iterations of the TensorFlow.js learner', async () => {
    const algo = cartPolePPO({ seed: 4 })
      .training({ numSgdIter: 2 })
      .evaluation({ evaluationInterval: 1, evaluationDuration: 2 })
      .framework({ backend: 'wasm' })
      .build();
    await algo.train();
    await algo.train();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await algo.train();
    const after = tf.memory().numTensors;
    await algo.stop();
    expect(after).toBe(before);
  }, 60_000);

  it('reports the result keys of an iteration, with evaluation when due', async () => {
    const algo = cartPolePPO({ seed: 5 }).training({ numSgdIter: 1 }).evaluation({ evaluationInterval: 2, evaluationDuration: 3 }).build();
    const first = await algo.train();
    const second = await algo.train();
    await algo.stop();
    expect(first.evaluation).toBeUndefined();
    expect(second.evaluation?.episodesThisIter).toBe(3);
    expect(second).toMatchObject({
      trainingIteration: 2,
      timestepsTotal: 2048,
      numEnvStepsSampled: 2048,
      numEnvStepsTrained: 2048,
      numHealthyWorkers: 1,
    });
    expect(second.episodesTotal).toBe(first.episodesThisIter + second.episodesThisIter);
    for (const key of ['totalLoss', 'policyLoss', 'vfLoss', 'entropy', 'kl', 'curLr', 'curKlCoeff', 'vfExplainedVar'] as const) {
      expect(Number.isFinite(second.learnerStats[key]), key).toBe(true);
    }
    // 'auto': tfjs-node when installed, else LoomRL's WebAssembly kernels.
    expect(['loomrl', 'tensorflow']).toContain(second.backend);
  }, 60_000);

  it('learns with Box actions (Pendulum-v1) and keeps Gaussian actions inside the bounds', async () => {
    const algo = new PPOConfig()
      .environment({ env: 'Pendulum-v1' })
      .rollouts({ numEnvsPerWorker: 4 })
      .training({ trainBatchSize: 400, sgdMinibatchSize: 100, numSgdIter: 2, model: { fcnetHiddens: [16], freeLogStd: true } })
      .debugging({ seed: 1 })
      .build();
    const result = await algo.train();
    const action = algo.computeSingleAction(Float32Array.from([1, 0, 0])) as Float32Array;
    await algo.stop();
    expect(result.timestepsTotal).toBe(400);
    expect(action[0]).toBeGreaterThanOrEqual(-2);
    expect(action[0]).toBeLessThanOrEqual(2);
  }, 60_000);

  it('rejects an observation outside the observation space', () => {
    const algo = cartPolePPO().build();
    expect(() => algo.computeSingleAction(Float32Array.from([0, 0, 0]))).toThrow(
      /observation Float32Array\[0, 0, 0\] is not in the observation space Box/,
    );
    void algo.stop();
  });
});
