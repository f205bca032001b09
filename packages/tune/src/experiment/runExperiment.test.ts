import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Algorithm } from '@loomrl/core';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyPPO } from '../__fixtures__/tinyPPO.js';
import { TuneError } from '../errors.js';
import { gridSearch } from '../search/space.js';
import { readExperimentState } from '../storage/experimentState.js';
import { ExperimentAnalysis } from './analysis.js';
import { runExperiment } from './runExperiment.js';

const roots: string[] = [];
async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'loomrl-tune-'));
  roots.push(root);
  return root;
}
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

/** The largest number of trials whose [startTime, endTime] intervals overlap. */
function maxOverlap(intervals: Array<[number, number]>): number {
  const events = intervals.flatMap(([s, e]) => [
    [s, 1],
    [e, -1],
  ]);
  events.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  let now = 0;
  let max = 0;
  for (const [, d] of events) {
    now += d as number;
    max = Math.max(max, now);
  }
  return max;
}

describe('runExperiment', () => {
  it("runs a grid of 3 learning rates x 2 seeds two trials at a time, leaves Tune's layout, and getBestResult picks the best", async () => {
    const storagePath = await tempRoot();
    const analysis = await runExperiment({
      config: tinyPPO(),
      paramSpace: { lr: gridSearch([1e-4, 1e-3, 3e-3]), seed: gridSearch([1, 2]) },
      stop: { trainingIteration: 4 },
      metric: 'episodeRewardMean',
      mode: 'max',
      maxConcurrentTrials: 2,
      numCpus: 4,
      checkpointAtEnd: true,
      storagePath,
      name: 'grid',
      verbose: 0,
    });
    expect(analysis.trials).toHaveLength(6);
    expect(analysis.trials.map((t) => t.status)).toEqual(Array(6).fill('TERMINATED'));
    expect(analysis.trials.map((t) => t.evaluatedParams)).toEqual([
      { lr: 1e-4, seed: 1 },
      { lr: 1e-3, seed: 1 },
      { lr: 3e-3, seed: 1 },
      { lr: 1e-4, seed: 2 },
      { lr: 1e-3, seed: 2 },
      { lr: 3e-3, seed: 2 },
    ]);
    expect(maxOverlap(analysis.trials.map((t) => [t.startTime as number, t.endTime as number]))).toBe(2);

    const rewards = analysis.rows.map((r) => r.episodeRewardMean as number);
    const best = analysis.getBestResult();
    expect(best?.metrics.episodeRewardMean).toBe(Math.max(...rewards));
    expect(analysis.getBestResult({ metric: 'episodeRewardMean', mode: 'min' })?.metrics.episodeRewardMean).toBe(Math.min(...rewards));

    const dir = join(storagePath, 'grid');
    const names = await readdir(dir);
    expect(names.filter((n) => /^experiment_state-.*\.json$/.test(n))).toHaveLength(1);
    const trialDir = best?.path as string;
    expect((await readdir(trialDir)).sort()).toEqual(['checkpoint_000004', 'params.json', 'progress.csv', 'result.json']);
    const params = JSON.parse(await readFile(join(trialDir, 'params.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(params)).toEqual(Object.keys(params).sort());
    expect(params.lr).toBe(best?.evaluatedParams.lr);
    const lines = (await readFile(join(trialDir, 'result.json'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.trainingIteration)).toEqual([1, 2, 3, 4]);
    expect(lines.map((l) => l.done)).toEqual([false, false, false, true]);
    expect(lines[0].config.lr).toBe(best?.evaluatedParams.lr);
    const csv = (await readFile(join(trialDir, 'progress.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]?.split(',')).toContain('learnerStats/totalLoss');
    expect(csv[0]?.split(',')).not.toContain('config/lr');

    // The best checkpoint restores to the trial's algorithm.
    const algo = await Algorithm.fromCheckpoint(analysis.bestCheckpoint as string);
    expect(algo.config.settings.lr).toBe(best?.evaluatedParams.lr);
    await algo.stop();
    // And the analysis loads again from the directory alone.
    const loaded = await ExperimentAnalysis.load(dir);
    expect(loaded.getBestResult()?.trialId).toBe(best?.trialId);
  });

  it('checkpoints every checkpointFreq iterations and at the end, keeping the best n by the score attribute plus the newest', async () => {
    const storagePath = await tempRoot();
    const analysis = await runExperiment({
      config: tinyPPO({ trainBatchSize: 128, numSgdIter: 1 }),
      stop: { trainingIteration: 12 },
      checkpointFreq: 5,
      checkpointAtEnd: true,
      storagePath,
      name: 'ckpt',
      verbose: 0,
      executor: 'inline',
    });
    const trial = analysis.trials[0];
    expect(trial?.checkpoints.map((c) => c.iteration)).toEqual([5, 10, 12]);

    const kept = await runExperiment({
      config: tinyPPO({ trainBatchSize: 128, numSgdIter: 1 }),
      stop: { trainingIteration: 8 },
      checkpointFreq: 1,
      keepCheckpointsNum: 2,
      checkpointScoreAttr: 'min-trainingIteration',
      storagePath,
      name: 'keep',
      verbose: 0,
      executor: 'inline',
    });
    const k = kept.trials[0];
    expect(k?.checkpoints.map((c) => c.iteration).sort((a, b) => a - b)).toEqual([1, 2, 8]);
    const onDisk = (await readdir(kept.results[0]?.path as string)).filter((n) => n.startsWith('checkpoint_')).sort();
    expect(onDisk).toEqual(['checkpoint_000001', 'checkpoint_000002', 'checkpoint_000008']);
  });

  it('rejects a bad search value before any trial runs, naming the trial and the option', async () => {
    const storagePath = await tempRoot();
    await expect(
      runExperiment({ config: tinyPPO(), paramSpace: { lr: gridSearch([1e-3, 'fast']) }, storagePath, name: 'bad', verbose: 0 }),
    ).rejects.toThrow(/Trial 1 \(1_lr=fast\) has an invalid config: .*lr/);
    await expect(access(join(storagePath, 'bad'))).rejects.toThrow();
    await expect(runExperiment({ config: tinyPPO(), storagePath, name: 'none', resume: true, verbose: 0 })).rejects.toThrow(TuneError);
  });

  it('retries a crashed trial from its newest checkpoint (maxFailures), keeping each iteration once in its files', async () => {
    const storagePath = await tempRoot();
    const analysis = await runExperiment({
      config: tinyPPO({ trainBatchSize: 128, numSgdIter: 1 }).environment({
        env: 'fixture/CrashOnceCartPole-v0',
        envModules: [fileURLToPath(new URL('../__fixtures__/crashOnceEnv.mjs', import.meta.url))],
        envConfig: { crashAtStep: 300, marker: join(storagePath, 'crashed') },
      }),
      stop: { trainingIteration: 4 },
      checkpointFreq: 1,
      maxFailures: 1,
      storagePath,
      name: 'retry',
      verbose: 0,
    });
    const trial = analysis.trials[0];
    expect(trial?.status).toBe('TERMINATED');
    expect(trial?.numFailures).toBe(1);
    const dir = analysis.results[0]?.path as string;
    expect(await readFile(join(dir, 'error.txt'), 'utf8')).toMatch(/^Failure # 1 .*\n.*simulated env crash/);
    const rows = (await readFile(join(dir, 'result.json'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.trainingIteration)).toEqual([1, 2, 3, 4]);
    // The crash hit iteration 3 (steps 257-384): the retry restored checkpoint 2.
    expect(rows.map((r) => r.iterationsSinceRestore)).toEqual([1, 2, 1, 2]);
  });

  it('records a failing trial as ERROR with error.txt and raises at the end', async () => {
    const storagePath = await tempRoot();
    const error = await runExperiment({
      config: tinyPPO().environment({ envModules: ['/no/such/env-module.js'] }),
      stop: { trainingIteration: 2 },
      storagePath,
      name: 'fails',
      verbose: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TuneError);
    expect((error as Error).message).toMatch(/Trials did not complete \(1 in ERROR\).*env-module/);
    const state = await readExperimentState(join(storagePath, 'fails'));
    expect(state?.trials[0]?.status).toBe('ERROR');
    const text = await readFile(join(storagePath, 'fails', state?.trials[0]?.dirName as string, 'error.txt'), 'utf8');
    expect(text).toMatch(/^Failure # 1 \(occurred at .*\)\n.*env-module/);
  });
});
