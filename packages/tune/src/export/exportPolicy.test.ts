import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pendulumPPO } from '@loomrl/algorithms';
import { createRng } from '@loomrl/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPPO } from '../__fixtures__/tinyPPO.js';
import { ExportError } from '../errors.js';
import { loadPolicy } from '../policy/loadedPolicy.js';
import { exportPolicy } from './exportPolicy.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loomrl-export-'));
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function checkpointOf(
  config: { build(): { train(): Promise<unknown>; save(d: string): Promise<string>; stop(): Promise<void> } },
  name: string,
) {
  const algo = config.build();
  for (let i = 0; i < 2; i++) await algo.train();
  const path = await algo.save(join(dir, name));
  await algo.stop();
  return path;
}

async function loadExported(out: string): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(await readFile(join(out, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const weights = await readFile(join(out, 'weights.bin'));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      userDefinedMetadata: modelJson.userDefinedMetadata,
    }),
    { strict: true },
  );
}

describe('exportPolicy', () => {
  it("writes a tfjs layers model that tfjs loads strictly and that gives computeSingleAction's greedy actions", async () => {
    const checkpoint = await checkpointOf(tinyPPO().training({ model: { fcnetHiddens: [32, 16] } }), 'cartpole');
    const out = join(dir, 'cartpole-tfjs');
    await exportPolicy(checkpoint, out, { format: 'tfjs-layers' });
    const modelJson = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    const specs = modelJson.weightsManifest[0].weights as Array<{ name: string; shape: number[] }>;
    expect(specs.map((w) => w.name)).toEqual([
      'dense_0/kernel',
      'dense_0/bias',
      'dense_1/kernel',
      'dense_1/bias',
      'dense_2/kernel',
      'dense_2/bias',
    ]);
    const size = specs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    expect((await readFile(join(out, 'weights.bin'))).byteLength).toBe(size * 4);
    expect(modelJson.userDefinedMetadata.loomrl).toMatchObject({ format: 'loomrl-tfjs-policy/1', output: 'logits', obs_dim: 4 });

    const model = await loadExported(out);
    const { algorithm } = await loadPolicy(checkpoint);
    try {
      const rng = createRng(3, 'obs');
      const obs = Array.from({ length: 1000 }, () => [
        rng.uniform(-2.4, 2.4),
        rng.uniform(-3, 3),
        rng.uniform(-0.2, 0.2),
        rng.uniform(-3, 3),
      ]);
      const logits = (model.predict(tf.tensor2d(obs)) as tf.Tensor).arraySync() as number[][];
      const greedy = logits.map((row) => row.indexOf(Math.max(...row)));
      expect(greedy).toEqual(obs.map((o) => algorithm.computeSingleAction(o, { explore: false })));
      const helper = (await import(pathToFileURL(join(out, 'policy.js')).href)) as {
        actBatch: (t: typeof tf, m: tf.LayersModel, o: number[][]) => number[];
      };
      expect(helper.actBatch(tf, model, obs.slice(0, 50))).toEqual(greedy.slice(0, 50));
    } finally {
      await algorithm.stop();
    }
  });

  it('exports a Gaussian policy whose helper scales the mean to the Box bounds like computeSingleAction', async () => {
    const checkpoint = await checkpointOf(
      pendulumPPO().training({ trainBatchSize: 256, sgdMinibatchSize: 128, numSgdIter: 1 }),
      'pendulum',
    );
    const out = join(dir, 'pendulum-tfjs');
    await exportPolicy(checkpoint, out, { format: 'tfjs-layers' });
    const model = await loadExported(out);
    const helper = (await import(pathToFileURL(join(out, 'policy.js')).href)) as {
      act: (t: typeof tf, m: tf.LayersModel, o: number[]) => number[];
    };
    const { algorithm } = await loadPolicy(checkpoint);
    try {
      const rng = createRng(4, 'obs');
      for (let i = 0; i < 20; i++) {
        const obs = [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-8, 8)];
        const expected = algorithm.computeSingleAction(obs, { explore: false }) as Float32Array;
        expect(helper.act(tf, model, obs)[0]).toBeCloseTo(expected[0] as number, 4);
      }
    } finally {
      await algorithm.stop();
    }
    await expect(exportPolicy(checkpoint, out, { format: 'onnx' as 'tfjs-layers' })).rejects.toBeInstanceOf(ExportError);
  });
});
