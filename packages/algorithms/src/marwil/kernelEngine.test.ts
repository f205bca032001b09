import { createRng, type Rng } from '@loomrl/core';
import {
  type ActorCriticSpec,
  createDistributionGradients,
  type DistributionSpec,
  distInputDim,
  initialWeights,
  weightLayout,
} from '@loomrl/core/internal';
import { createTfDistribution, selectBackend, tf } from '@loomrl/core/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, normals } from '../__fixtures__/closeness.js';
import { KernelMARWILEngine, type MARWILMinibatch, marwilLossGradients } from './kernelEngine.js';
import { type MARWILEngine, MARWILLearner, type MARWILLearnerSettings } from './learner.js';
import { TfMARWILEngine, tfMARWILLoss } from './tfEngine.js';

const SETTINGS: MARWILLearnerSettings = {
  lr: 1e-3,
  gradClip: null,
  beta: 1,
  bcLogstdCoeff: 0,
  movingAverageSqdAdvNormStart: 100,
  movingAverageSqdAdvNormUpdateRate: 1e-2,
  vfCoeff: 0.7,
  trainBatchSize: 32,
};

function actionsFor(dist: DistributionSpec, rows: number, rng: Rng): { actions: Float32Array; actionDim: number } {
  const actionDim = dist.type === 'categorical' ? 1 : dist.type === 'multiCategorical' ? dist.nvec.length : dist.dim;
  const actions = Float32Array.from({ length: rows * actionDim }, (_, i) => {
    if (dist.type === 'categorical') return rng.int(dist.n);
    if (dist.type === 'multiCategorical') return rng.int(dist.nvec[i % actionDim] as number);
    return rng.normal();
  });
  return { actions, actionDim };
}

/** A train batch as `MARWILLearner.update` reads it: obs, actions, returns (the `advantages` column). */
function trainBatch(spec: ActorCriticSpec, rows: number, rng: Rng) {
  const { actions, actionDim } = actionsFor(spec.dist, rows, rng);
  return {
    count: rows,
    widths: { obs: spec.obsDim, actions: actionDim },
    columns: { obs: normals(rows * spec.obsDim, rng), actions, advantages: normals(rows, rng, 3) },
  } as never;
}

describe("MARWIL's loss on the WebAssembly kernels", () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  const cases: Array<[string, DistributionSpec, Partial<MARWILLearnerSettings>]> = [
    ['categorical, advantage-weighted', { type: 'categorical', n: 3 }, {}],
    ['multi-categorical, BC', { type: 'multiCategorical', nvec: [2, 4] }, { beta: 0 }],
    ['diagonal Gaussian with bcLogstdCoeff', { type: 'diagGaussian', dim: 2 }, { bcLogstdCoeff: 0.3 }],
  ];

  it.each(cases)('matches tfjs autodiff of the same loss to 1e-5 in value and gradients (%s)', (_name, dist, overrides) => {
    const s = { ...SETTINGS, ...overrides };
    const rng = createRng(23);
    const rows = 48;
    const distDim = distInputDim(dist);
    const { actions, actionDim } = actionsFor(dist, rows, rng);
    const bc = s.beta === 0;
    const mb: MARWILMinibatch = { rows, actions, actionDim, distDim, returns: bc ? null : normals(rows, rng, 2) };
    const distInputs = normals(rows * distDim, rng, 0.7);
    const values = normals(rows, rng);
    const weights = bc ? null : Float32Array.from({ length: rows }, () => Math.exp(rng.normal()));
    const dDist = new Float32Array(distInputs.length);
    const dValues = new Float32Array(rows);
    const stats = marwilLossGradients(createDistributionGradients(dist), distInputs, values, mb, weights, s, dDist, dValues);
    const tfDist = createTfDistribution(dist);
    const [expectedStats, expectedDist, expectedValues] = tf.tidy(() => {
      const tensors = {
        obs: tf.zeros([rows, 1]) as tf.Tensor2D,
        actions: tf.tensor2d(actions, [rows, actionDim]),
        returns: mb.returns === null ? null : tf.tensor1d(mb.returns),
      };
      const w = weights === null ? null : tf.tensor1d(weights);
      const loss = (x: tf.Tensor, y: tf.Tensor) => tfMARWILLoss(tfDist, x as tf.Tensor2D, y as tf.Tensor1D, tensors, w, s);
      const inputs = tf.tensor2d(distInputs, [rows, distDim]);
      const v = tf.tensor1d(values);
      const grads = tf.grads((x, y) => loss(x as tf.Tensor, y as tf.Tensor)[0])([inputs, v]);
      return [loss(inputs, v).map((t) => t.dataSync()[0] as number), grads[0]?.dataSync(), grads[1]?.dataSync()] as const;
    });
    expectClose(stats, expectedStats, 'loss terms');
    expectClose(dDist, expectedDist as Float32Array, 'gradient w.r.t. the distribution inputs');
    if (!bc) expectClose(dValues, expectedValues as Float32Array, 'gradient w.r.t. the values');
  });

  const specs: Array<[string, ActorCriticSpec, Partial<MARWILLearnerSettings>]> = [
    [
      'MARWIL, categorical',
      { obsDim: 4, dist: { type: 'categorical', n: 2 }, hiddens: [32, 32], activation: 'tanh', vfShareLayers: false, freeLogStd: false },
      {},
    ],
    [
      'BC, categorical',
      { obsDim: 4, dist: { type: 'categorical', n: 3 }, hiddens: [16], activation: 'relu', vfShareLayers: false, freeLogStd: false },
      { beta: 0 },
    ],
    [
      'MARWIL, Gaussian with free log-std, shared layers, bcLogstdCoeff, clipped',
      { obsDim: 3, dist: { type: 'diagGaussian', dim: 2 }, hiddens: [16, 16], activation: 'tanh', vfShareLayers: true, freeLogStd: true },
      { bcLogstdCoeff: 0.2, gradClip: 0.5 },
    ],
    [
      'BC, Gaussian with shared layers',
      { obsDim: 3, dist: { type: 'diagGaussian', dim: 1 }, hiddens: [8, 8], activation: 'relu', vfShareLayers: true, freeLogStd: false },
      { beta: 0, bcLogstdCoeff: 0.1 },
    ],
  ];

  const learnerOn = (engine: 'kernel' | 'tfjs', spec: ActorCriticSpec, weights: Float32Array, s: MARWILLearnerSettings) => {
    const e: MARWILEngine = engine === 'kernel' ? new KernelMARWILEngine(spec, weights, s) : new TfMARWILEngine(spec, weights, s);
    return new MARWILLearner(e, s);
  };

  it.each(specs)(
    'takes the same Adam steps as the TensorFlow.js engine (%s): stats, c² and weights agree after two updates',
    (_name, spec, overrides) => {
      const s = { ...SETTINGS, ...overrides };
      const rng = createRng(4);
      const weights = initialWeights(weightLayout(spec), rng);
      const batches = [trainBatch(spec, 64, rng), trainBatch(spec, 64, rng)];
      const run = (engine: 'kernel' | 'tfjs') => {
        const learner = learnerOn(engine, spec, weights, s);
        const sgd = createRng(4, 'sgd');
        const stats = batches.map((b) => learner.update(b, 1e-3, sgd));
        const out = { stats, weights: learner.getWeights(), c2: learner.movingAverageSqdAdvNorm };
        learner.dispose();
        return out;
      };
      const kernel = run('kernel');
      const reference = run('tfjs');
      kernel.stats.forEach((st, i) => {
        const expected = reference.stats[i] as Record<string, number>;
        expect(Object.keys(st).sort()).toEqual(Object.keys(expected).sort());
        const keys = Object.keys(expected);
        expectClose(
          keys.map((k) => st[k] as number),
          keys.map((k) => expected[k] as number),
          `stats of update ${i} (${keys.join(', ')})`,
        );
      });
      expect(Math.abs(kernel.c2 - reference.c2)).toBeLessThan(1e-5 * reference.c2);
      // Four Adam steps of lr 1e-3 move weights by up to 4e-3: they agree far below that.
      expectClose(kernel.weights, reference.weights, 'weights');
      expect(kernel.weights.some((w, i) => w !== weights[i])).toBe(true);
    },
  );

  it('moves its state between engines mid-run (weights, Adam moments, c²): the next update agrees to 1e-5', async () => {
    const [, spec, overrides] = specs[0] as (typeof specs)[number];
    const s = { ...SETTINGS, ...overrides };
    const rng = createRng(8);
    const weights = initialWeights(weightLayout(spec), rng);
    const [first, second] = [trainBatch(spec, 64, rng), trainBatch(spec, 64, rng)];
    const kernel = learnerOn('kernel', spec, weights, s);
    kernel.update(first, 1e-3, createRng(1));
    const moved = learnerOn('tfjs', spec, kernel.getWeights(), s);
    await moved.setOptimizerState(await kernel.getOptimizerState());
    moved.movingAverageSqdAdvNorm = kernel.movingAverageSqdAdvNorm;
    const a = kernel.update(second, 1e-3, createRng(2)) as Record<string, number>;
    const b = moved.update(second, 1e-3, createRng(2)) as Record<string, number>;
    const keys = Object.keys(b);
    expectClose(
      keys.map((k) => a[k] as number),
      keys.map((k) => b[k] as number),
      'stats',
    );
    expectClose(kernel.getWeights(), moved.getWeights(), 'weights');
    moved.dispose();
  });

  it('gives bit-identical updates for the same seed', async () => {
    const [, spec] = specs[2] as (typeof specs)[number];
    const update = async () => {
      const rng = createRng(9);
      const learner = await MARWILLearner.create(spec, initialWeights(weightLayout(spec), rng), SETTINGS, 'loomrl');
      const stats = learner.update(trainBatch(spec, 96, rng), 1e-3, createRng(9, 'sgd'));
      return { stats, weights: Buffer.from(learner.getWeights().buffer) };
    };
    const [a, b] = [await update(), await update()];
    expect(a.stats).toEqual(b.stats);
    expect(a.weights.equals(b.weights)).toBe(true);
  });
});
