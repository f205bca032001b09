import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Algorithm, Box, CheckpointError, DataError, Discrete, type Env, registerEnv } from '@loomrl/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DQNConfig, PPOConfig } from './index.js';

const run = promisify(execFile);
const saveAndDie = fileURLToPath(new URL('./__fixtures__/saveAndDie.mjs', import.meta.url));
const METADATA = 'loomrl_checkpoint.json';

function tiny(env = 'CartPole-v1'): PPOConfig {
  return new PPOConfig()
    .environment({ env })
    .training({ trainBatchSize: 64, sgdMinibatchSize: 64, numSgdIter: 1, model: { fcnetHiddens: [8] } })
    .debugging({ seed: 1, logLevel: 'SILENT' });
}

/** Runs the fixture; resolves with the steps it printed, or null when it was killed. */
async function child(dir: string, killAt: number, firstKillAt = -1): Promise<string[] | null> {
  try {
    const { stdout } = await run(process.execPath, [saveAndDie, dir, String(killAt), String(firstKillAt)]);
    return JSON.parse(stdout.trim().split('\n').at(-1) as string) as string[];
  } catch (error) {
    if ((error as { signal?: string }).signal === 'SIGKILL') return null;
    throw error;
  }
}

async function iterationAt(dir: string): Promise<number> {
  const algo = await Algorithm.fromCheckpoint(dir);
  const { trainingIteration } = JSON.parse(await readFile(join(dir, METADATA), 'utf8')).counters as { trainingIteration: number };
  await algo.stop();
  return trainingIteration;
}

/** The metadata's entry for weights.policy.bin. */
function weightsEntry(metadata: Record<string, unknown>): { path: string; sha256: string } {
  return (metadata.files as Record<string, { path: string; sha256: string }>)['weights.policy.bin'] as { path: string; sha256: string };
}

async function metadataOf(dir: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(dir, METADATA), 'utf8')) as Record<string, unknown>;
}

describe('checkpoints', () => {
  const dirs: string[] = [];
  const tempDir = async (prefix: string) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('leaves a loadable checkpoint, old or new, when save() is killed after any file-system step, and no leftovers after the next save', async () => {
    const probe = await tempDir('loomrl-kill-');
    const steps = (await child(join(probe, 'ckpt'), -1)) as string[];
    expect(steps).toContain('rename metadata into place');
    expect(steps.length).toBeGreaterThanOrEqual(7);
    const switchAt = steps.indexOf('rename metadata into place');
    for (let k = 0; k < steps.length; k++) {
      const root = await tempDir('loomrl-kill-');
      const dir = join(root, 'ckpt');
      expect(await child(dir, k)).toBeNull();
      expect(await iterationAt(dir), `killed after "${steps[k]}"`).toBe(k < switchAt ? 1 : 2);
      // The next save (in a fresh process, not killed) cleans what the killed one left.
      expect(await child(dir, -1)).not.toBeNull();
      const entries = (await readdir(dir)).sort();
      expect(entries).toHaveLength(2);
      expect(entries[1]).toBe(METADATA);
      expect(entries[0]).toMatch(/^data-/);
      expect(await readdir(root)).toEqual(['ckpt']);
    }
  }, 300_000);

  it('says a first save was interrupted, and completes it on the next save', async () => {
    const dir = join(await tempDir('loomrl-first-'), 'ckpt');
    expect(await child(dir, -1, 1)).toBeNull();
    await expect(Algorithm.fromCheckpoint(dir)).rejects.toThrow(/holds no complete checkpoint: the first save into it was interrupted/);
    expect(await child(dir, -1)).not.toBeNull();
    expect(await iterationAt(dir)).toBe(2);
  }, 60_000);

  it('refuses to save into a directory that holds other files', async () => {
    const dir = await tempDir('loomrl-foreign-');
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const algo = tiny().build();
    await algo.train();
    await expect(algo.save(dir)).rejects.toThrow(CheckpointError);
    await expect(algo.save(dir)).rejects.toThrow(/with other files \(notes\.txt\), not a LoomRL checkpoint/);
    await algo.stop();
    expect(await readdir(dir)).toEqual(['notes.txt']);
  }, 60_000);

  it('rejects tampered metadata, optimizer index and non-finite weights, naming the field and value', async () => {
    const root = await tempDir('loomrl-tamper-');
    const algo = tiny().build();
    await algo.train();
    const good = await algo.save(join(root, 'good'));
    await algo.stop();
    const tampered = async (name: string, edit: (m: Record<string, unknown>) => void) => {
      const dir = join(root, name);
      await mkdir(dir);
      for (const entry of await readdir(good)) await run('cp', ['-r', join(good, entry), dir]);
      const metadata = await metadataOf(dir);
      edit(metadata);
      await writeFile(join(dir, METADATA), JSON.stringify(metadata));
      return dir;
    };
    const stringIteration = await tampered('iteration', (m) => {
      (m.counters as Record<string, unknown>).trainingIteration = '3';
    });
    await expect(Algorithm.fromCheckpoint(stringIteration)).rejects.toThrow(CheckpointError);
    await expect(Algorithm.fromCheckpoint(stringIteration)).rejects.toThrow(/counters\.trainingIteration is "3", expected an integer >= 0/);
    const badIndex = await tampered('optimizer', (m) => {
      const index = (m.optimizers as Record<string, Array<{ shape: number[]; length: number }>>).policy ?? [];
      const entry = index[1] as { shape: number[]; length: number };
      entry.shape = [entry.length];
    });
    await expect(Algorithm.fromCheckpoint(badIndex)).rejects.toThrow(
      /Optimizer tensor 1 \(.*\) has shape \[\d+\]; this model needs \[\d+,\d+\]/,
    );
    const outside = await tampered('escape', (m) => {
      weightsEntry(m).path = '../good/x';
    });
    await expect(Algorithm.fromCheckpoint(outside)).rejects.toThrow(/outside the checkpoint/);

    const nanDir = join(root, 'nan');
    const nanAlgo = tiny().build();
    await nanAlgo.train();
    await nanAlgo.save(nanDir);
    const metadata = await metadataOf(nanDir);
    const weightsFile = join(nanDir, weightsEntry(metadata).path);
    const bytes = new Uint8Array(await readFile(weightsFile));
    new Float32Array(bytes.buffer)[5] = Number.NaN;
    await writeFile(weightsFile, bytes);
    // Recompute the digest so only the NaN is wrong.
    const { createHash } = await import('node:crypto');
    weightsEntry(metadata).sha256 = createHash('sha256').update(bytes).digest('hex');
    await writeFile(join(nanDir, METADATA), JSON.stringify(metadata));
    await expect(nanAlgo.restore(nanDir)).rejects.toThrow(/weight 5 of weight set "policy" is NaN; a checkpoint must hold finite weights/);
    expect(() => nanAlgo.setWeights(new Float32Array(nanAlgo.getWeights().length).fill(Number.POSITIVE_INFINITY))).toThrow(DataError);
    expect(() => nanAlgo.setWeights(new Float32Array(3))).toThrow(/expected a Float32Array of \d+ weights/);
    await nanAlgo.stop();
  }, 60_000);

  it('refuses a checkpoint of another env or activation even when the weight count matches', async () => {
    registerEnv('test/WideCartPole-v0', () => {
      const observationSpace = new Box({ low: -10, high: 10, shape: [4] });
      const env: Env<Float32Array, number> = {
        observationSpace,
        actionSpace: new Discrete(2),
        reset: () => ({ obs: new Float32Array(4), info: {} }),
        step: () => ({ obs: new Float32Array(4), reward: 1, terminated: false, truncated: false, info: {} }),
      } as unknown as Env<Float32Array, number>;
      return env;
    });
    const root = await tempDir('loomrl-mismatch-');
    const source = tiny().build();
    await source.train();
    const dir = await source.save(join(root, 'cartpole'));
    await source.stop();
    const otherEnv = tiny('test/WideCartPole-v0').build();
    await expect(otherEnv.restore(dir)).rejects.toThrow(/was trained on the observationSpace .*this algorithm's env has/);
    await otherEnv.stop();
    const relu = tiny()
      .training({ model: { fcnetActivation: 'relu' } })
      .build();
    await expect(relu.restore(dir)).rejects.toThrow(
      /holds module "default" with other settings \(config\.activation: "tanh" there, "relu" here\)/,
    );
    await relu.stop();
  }, 60_000);

  it('refuses a format-2 checkpoint that lacks a weight set the algorithm needs, naming it', async () => {
    const root = await tempDir('loomrl-weightset-');
    const dqn = () =>
      new DQNConfig()
        .environment({ env: 'CartPole-v1' })
        .training({ model: { fcnetHiddens: [8] }, hiddens: [] })
        .debugging({ seed: 1, logLevel: 'SILENT' })
        .build();
    const source = dqn();
    await source.train();
    const dir = await source.save(join(root, 'dqn'));
    await source.stop();
    const metadata = await metadataOf(dir);
    expect(Object.keys(metadata.weightSets as object).sort()).toEqual(['policy', 'target']);
    delete (metadata.weightSets as Record<string, unknown>).target;
    await writeFile(join(dir, METADATA), JSON.stringify(metadata));
    const target = dqn();
    try {
      await expect(target.restore(dir)).rejects.toThrow(CheckpointError);
      await expect(target.restore(dir)).rejects.toThrow(/has no weight set "target" \(it has policy\)/);
    } finally {
      await target.stop();
    }
  }, 60_000);

  it('restores a format-1 checkpoint (PPO, one weights file beside the metadata) written by the previous release', async () => {
    const { createHash } = await import('node:crypto');
    const dir = join(await tempDir('loomrl-v1-'), 'ppo-v1');
    const source = tiny().build();
    await source.train();
    const weights = source.getWeights().map((w, i) => w + 0.001 * Math.sin(i));
    const config = source.config.toJSON();
    await source.stop();
    await mkdir(dir);
    const bytes = new Uint8Array(weights.buffer.slice(0));
    const empty = new Uint8Array(0);
    const digest = (data: Uint8Array) => ({ bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') });
    await writeFile(join(dir, 'weights.bin'), bytes);
    await writeFile(join(dir, 'optimizer.bin'), empty);
    const metadata = {
      format: 'loomrl-checkpoint',
      formatVersion: 1,
      algorithm: 'PPO',
      config,
      counters: {
        trainingIteration: 7,
        numEnvStepsSampled: 448,
        numEnvStepsTrained: 448,
        episodesTotal: 20,
        timeTotalS: 1.5,
        weightsVersion: 7,
      },
      metricsWindow: [{ episodeReturn: 21, episodeLength: 21 }],
      learnerExtra: { klCoeff: 0.3 },
      optimizerIndex: null,
      weightsLength: weights.length,
      files: { 'weights.bin': digest(bytes), 'optimizer.bin': digest(empty) },
    };
    await writeFile(join(dir, METADATA), JSON.stringify(metadata));
    const restored = await Algorithm.fromCheckpoint(dir);
    try {
      expect(Array.from(restored.getWeights())).toEqual(Array.from(weights));
      const next = await restored.train();
      expect(next.trainingIteration).toBe(8);
      expect(next.learnerStats.curKlCoeff).toBe(0.3);
    } finally {
      await restored.stop();
    }
  }, 60_000);
});
