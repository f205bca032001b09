import { createRng, type Rng } from '@loomrl/core';
import { createDistributionGradients, type DistributionSpec, distInputDim, initialWeights, weightLayout } from '@loomrl/core/internal';
import { createTfDistribution, selectBackend, tf } from '@loomrl/core/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, normals } from '../__fixtures__/closeness.js';
import { KernelPPOEngine, type PPOMinibatch, ppoLossGradients } from './kernelEngine.js';
import { PPOLearner, type PPOLearnerSettings } from './learner.js';
import { TfPPOEngine, tfPPOLoss } from './tfEngine.js';

const SETTINGS: PPOLearnerSettings = {
  lr: 1e-3,
  gradClip: null,
  klCoeff: 0.2,
  klTarget: 0.01,
  useKlLoss: true,
  useCritic: true,
  sgdMinibatchSize: 16,
  numSgdIter: 2,
  shuffleSequences: true,
  clipParam: 0.2,
  vfClipParam: 1.5,
  vfLossCoeff: 0.7,
  entropyCoeff: 0.05,
};

/** A minibatch whose old policy differs enough from the new one that both surrogate clips and the value clip are active on some rows. */
function minibatch(dist: DistributionSpec, rows: number, rng: Rng): { mb: PPOMinibatch; distInputs: Float32Array; values: Float32Array } {
  const distDim = distInputDim(dist);
  const actionDim = dist.type === 'categorical' ? 1 : dist.type === 'multiCategorical' ? dist.nvec.length : dist.dim;
  const actions = Float32Array.from({ length: rows * actionDim }, (_, i) => {
    if (dist.type === 'categorical') return rng.int(dist.n);
    if (dist.type === 'multiCategorical') return rng.int(dist.nvec[i % actionDim] as number);
    return rng.normal();
  });
  const oldDistInputs = normals(rows * distDim, rng, 0.5);
  const oldLogp = new Float32Array(rows);
  const distribution = createDistributionGradients(dist);
  const terms = new Float64Array(3);
  for (let r = 0; r < rows; r++) {
    distribution.evaluate(oldDistInputs, r * distDim, actions, r * actionDim, oldDistInputs, r * distDim, terms);
    oldLogp[r] = terms[0] as number;
  }
  const distInputs = Float32Array.from(oldDistInputs, (x) => x + 0.4 * rng.normal());
  const mb: PPOMinibatch = {
    rows,
    actions,
    actionDim,
    oldLogp,
    oldDistInputs,
    distDim,
    advantages: normals(rows, rng),
    valueTargets: normals(rows, rng),
  };
  return { mb, distInputs, values: normals(rows, rng) };
}

describe("PPO's loss on the WebAssembly kernels", () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  const cases: Array<[string, DistributionSpec, Partial<PPOLearnerSettings>]> = [
    ['categorical, KL penalty, entropy bonus', { type: 'categorical', n: 3 }, {}],
    ['multi-categorical without KL loss', { type: 'multiCategorical', nvec: [2, 4] }, { useKlLoss: false }],
    ['diagonal Gaussian', { type: 'diagGaussian', dim: 2 }, {}],
    ['categorical without a critic', { type: 'categorical', n: 2 }, { useCritic: false }],
  ];

  it.each(cases)('matches tfjs autodiff of the same loss to 1e-5 in value and gradients (%s)', (_name, dist, overrides) => {
    const s = { ...SETTINGS, ...overrides };
    const rng = createRng(17);
    const rows = 64;
    const { mb, distInputs, values } = minibatch(dist, rows, rng);
    const dDist = new Float32Array(distInputs.length);
    const dValues = new Float32Array(rows);
    const stats = ppoLossGradients(createDistributionGradients(dist), distInputs, values, mb, s, 0.3, dDist, dValues);
    const tfDist = createTfDistribution(dist);
    const [expectedStats, expectedDist, expectedValues] = tf.tidy(() => {
      const inputs = tf.tensor2d(distInputs, [rows, mb.distDim]);
      const v = tf.tensor1d(values);
      const tensors = {
        actions: tf.tensor2d(mb.actions, [rows, mb.actionDim]),
        oldLogp: tf.tensor1d(mb.oldLogp),
        oldDistInputs: tf.tensor2d(mb.oldDistInputs, [rows, mb.distDim]),
        advantages: tf.tensor1d(mb.advantages),
        valueTargets: tf.tensor1d(mb.valueTargets),
      };
      const loss = (x: tf.Tensor, y: tf.Tensor) => tfPPOLoss(tfDist, x as tf.Tensor2D, y as tf.Tensor1D, tensors, s, 0.3);
      const terms = loss(inputs, v);
      // Without a critic the loss does not read the values: tfjs refuses a gradient w.r.t. them.
      const grads = s.useCritic
        ? tf.grads((x, y) => loss(x as tf.Tensor, y as tf.Tensor).total)([inputs, v])
        : [tf.grad((x) => loss(x, v).total)(inputs), tf.zeros([rows])];
      return [
        [terms.total, terms.policyLoss, terms.vfLoss, terms.kl, terms.entropy].map((t) => t.dataSync()[0] as number),
        grads[0]?.dataSync() as Float32Array,
        grads[1]?.dataSync() as Float32Array,
      ];
    });
    expectClose(stats, expectedStats, 'loss terms');
    expectClose(dDist, expectedDist, 'gradient w.r.t. the distribution inputs');
    if (s.useCritic) expectClose(dValues, expectedValues, 'gradient w.r.t. the values');
    // The case tests the clips only if they bite: some rows' surrogate is clipped, some squared value errors exceed vfClipParam.
    const distribution = createDistributionGradients(dist);
    const terms = new Float64Array(3);
    let surrogateCut = 0;
    let valueCut = 0;
    for (let r = 0; r < rows; r++) {
      distribution.evaluate(distInputs, r * mb.distDim, mb.actions, r * mb.actionDim, mb.oldDistInputs, r * mb.distDim, terms);
      const ratio = Math.exp((terms[0] as number) - (mb.oldLogp[r] as number));
      const a = mb.advantages[r] as number;
      if ((a > 0 && ratio > 1 + s.clipParam) || (a < 0 && ratio < 1 - s.clipParam)) surrogateCut += 1;
      if (((values[r] as number) - (mb.valueTargets[r] as number)) ** 2 > s.vfClipParam) valueCut += 1;
    }
    expect(surrogateCut).toBeGreaterThan(0);
    if (s.useCritic) expect(valueCut).toBeGreaterThan(0);
  });

  it.each([
    ['with a critic', true],
    ['without a critic', false],
  ])('takes the same SGD steps as the TensorFlow.js engine %s: stats and weights agree after an update', async (_name, useCritic) => {
    const settings = { ...SETTINGS, useCritic };
    const spec = {
      obsDim: 4,
      dist: { type: 'categorical', n: 2 },
      hiddens: [32, 32],
      activation: 'tanh',
      vfShareLayers: false,
      freeLogStd: false,
    } as const;
    const rng = createRng(2);
    const weights = initialWeights(weightLayout(spec), rng);
    const rows = 64;
    const data = {
      rows,
      obs: normals(rows * 4, rng),
      obsDim: 4,
      actions: Float32Array.from({ length: rows }, () => rng.int(2)),
      actionDim: 1,
      oldLogp: new Float32Array(rows).fill(Math.log(0.5)),
      oldDistInputs: new Float32Array(rows * 2),
      distDim: 2,
      advantages: normals(rows, rng),
      valueTargets: normals(rows, rng),
    };
    const run = (engine: KernelPPOEngine | TfPPOEngine) => {
      engine.begin(data, 1e-3);
      const order = Int32Array.from({ length: rows }, (_, i) => (i * 7) % rows);
      for (let start = 0; start < rows; start += 16) engine.step(order, start, 16, 0.2);
      const result = engine.finish();
      return { ...result, weights: engine.getWeights() };
    };
    const kernel = run(new KernelPPOEngine(spec, weights, settings));
    const tfEngine = new TfPPOEngine(spec, weights, settings);
    const reference = run(tfEngine);
    tfEngine.dispose();
    expectClose(kernel.means, reference.means, 'mean loss terms');
    expect(kernel.gradNormSum).toBeCloseTo(reference.gradNormSum, 4);
    // Four Adam steps of lr 1e-3 move weights by up to 4e-3: they agree far below that.
    const drift = kernel.weights.reduce((m, w, i) => Math.max(m, Math.abs(w - (reference.weights[i] as number))), 0);
    expect(drift).toBeLessThan(1e-5);
  });

  it('gives bit-identical updates for the same seed', async () => {
    const spec = {
      obsDim: 4,
      dist: { type: 'categorical', n: 2 },
      hiddens: [16, 16],
      activation: 'tanh',
      vfShareLayers: false,
      freeLogStd: false,
    } as const;
    const update = async () => {
      const rng = createRng(9);
      const learner = await PPOLearner.create(spec, initialWeights(weightLayout(spec), rng), SETTINGS, createRng(9, 'sgd'), 'loomrl');
      const data = { ...minibatch(spec.dist, 48, rng).mb, obs: normals(48 * 4, rng) };
      const batch = {
        count: 48,
        widths: { obs: 4, actions: 1, actionDistInputs: 2 },
        columns: {
          obs: data.obs,
          actions: data.actions,
          actionLogp: data.oldLogp,
          actionDistInputs: data.oldDistInputs,
          advantages: data.advantages,
          valueTargets: data.valueTargets,
          vfPreds: normals(48, rng),
        },
      };
      const stats = learner.update(batch as never, 1e-3);
      return { stats, weights: Buffer.from(learner.getWeights().buffer) };
    };
    const [a, b] = [await update(), await update()];
    expect(a.stats).toEqual(b.stats);
    expect(a.weights.equals(b.weights)).toBe(true);
  });
});
