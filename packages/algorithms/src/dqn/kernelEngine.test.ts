import { createRng, SampleBatch } from '@loomrl/core';
import { initialWeights, type QNetworkSpec, qNetworkLayout } from '@loomrl/core/internal';
import { selectBackend, tf } from '@loomrl/core/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { dqnLossGradients, KernelDQNEngine } from './kernelEngine.js';
import type { DQNLearnerSettings, DQNTrainColumns } from './learner.js';
import { TfDQNEngine } from './tfEngine.js';

const SPEC: QNetworkSpec = { obsDim: 4, numActions: 3, hiddens: [24, 24], activation: 'relu', headHiddens: [], dueling: true };

function replayed(rows: number, seed: number): SampleBatch<DQNTrainColumns> {
  const rng = createRng(seed);
  const f = (n: number, draw: () => number) => Float32Array.from({ length: n }, draw);
  return new SampleBatch<DQNTrainColumns>(
    rows,
    { obs: 4, nextObs: 4, actions: 1, rewards: 1, terminateds: 1, nStepDiscounts: 1, batchIndexes: 1, weights: 1 },
    {
      obs: f(rows * 4, () => rng.normal()),
      nextObs: f(rows * 4, () => rng.normal()),
      actions: f(rows, () => rng.int(3)),
      // Rewards of both signs and size so that some TD errors pass the Huber knee at |TD| = 1.
      rewards: f(rows, () => 3 * rng.normal()),
      terminateds: Uint8Array.from({ length: rows }, () => (rng.random() < 0.2 ? 1 : 0)),
      nStepDiscounts: new Float32Array(rows).fill(0.97),
      batchIndexes: Int32Array.from({ length: rows }, (_, i) => i),
      weights: f(rows, () => 0.5 + rng.random()),
    } as unknown as DQNTrainColumns,
  );
}

describe("DQN's loss on the WebAssembly kernels", () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it.each([
    ['huber', 'huber'],
    ['mse', 'mse'],
  ] as const)('matches tfjs autodiff of the %s loss w.r.t. Q(s, ·) to 1e-5', (_name, lossFn) => {
    const rows = 40;
    const batch = replayed(rows, 3);
    const rng = createRng(4);
    const q = Float32Array.from({ length: rows * 3 }, () => rng.normal());
    const qNextTarget = Float32Array.from({ length: rows * 3 }, () => rng.normal());
    const qNextOnline = Float32Array.from({ length: rows * 3 }, () => rng.normal());
    const dQ = new Float32Array(rows * 3);
    const { stats, tdErrors } = dqnLossGradients(
      { q, qNextTarget, qNextChooser: qNextOnline, numActions: 3 },
      batch.columns,
      rows,
      lossFn,
      dQ,
    );
    const c = batch.columns;
    const [loss, grad, td] = tf.tidy(() => {
      const qT = tf.tensor2d(q, [rows, 3]);
      const lossOf = (x: tf.Tensor) => {
        const selected = tf.sum(tf.mul(x, tf.oneHot(tf.tensor1d(Int32Array.from(c.actions), 'int32'), 3)), 1);
        const nextA = tf.argMax(tf.tensor2d(qNextOnline, [rows, 3]), 1);
        const qNext = tf.sum(tf.mul(tf.tensor2d(qNextTarget, [rows, 3]), tf.oneHot(nextA, 3)), 1);
        const notDone = tf.tensor1d(Float32Array.from(c.terminateds, (t) => 1 - t));
        const target = tf.add(tf.tensor1d(c.rewards), tf.mul(tf.mul(tf.tensor1d(c.nStepDiscounts), notDone), qNext));
        const tdT = tf.sub(selected, target);
        const absTd = tf.abs(tdT);
        const quadratic = tf.minimum(absTd, 1);
        const perRow =
          lossFn === 'huber' ? tf.add(tf.mul(0.5, tf.square(quadratic)), tf.sub(absTd, quadratic)) : tf.mul(0.5, tf.square(tdT));
        return { loss: tf.mean(tf.mul(tf.tensor1d(c.weights), perRow)) as tf.Scalar, td: tdT };
      };
      const out = lossOf(qT);
      const g = tf.grad((x: tf.Tensor) => lossOf(x).loss)(qT);
      return [out.loss.dataSync()[0] as number, g.dataSync() as Float32Array, out.td.dataSync() as Float32Array];
    });
    expect(stats.loss).toBeCloseTo(loss, 5);
    for (let i = 0; i < dQ.length; i++) expect(Math.abs((dQ[i] as number) - (grad[i] as number))).toBeLessThan(1e-5);
    expect(Array.from(tdErrors)).toEqual(Array.from(td));
    if (lossFn === 'huber') expect(Array.from(tdErrors).some((e) => Math.abs(e) > 1)).toBe(true);
  });

  it('takes the same updates as the TensorFlow.js engine, growing for a larger batch, and keeps the target apart', () => {
    const settings: DQNLearnerSettings = { lr: 1e-3, gradClip: 1, adamEpsilon: 1e-8, doubleQ: true, tdErrorLossFn: 'huber' };
    const weights = initialWeights(qNetworkLayout(SPEC), createRng(6));
    const kernel = new KernelDQNEngine(SPEC, weights, settings);
    const reference = new TfDQNEngine(SPEC, weights, settings);
    for (const [i, rows] of [32, 32, 200].entries()) {
      const batch = replayed(rows, 10 + i);
      const a = kernel.update(batch, 1e-3);
      const b = reference.update(batch, 1e-3);
      expect(a.stats.loss).toBeCloseTo(b.stats.loss as number, 5);
      expect(a.stats.gradGnorm).toBeCloseTo(b.stats.gradGnorm as number, 4);
      for (let r = 0; r < rows; r++) expect(Math.abs((a.tdErrors[r] as number) - (b.tdErrors[r] as number))).toBeLessThan(1e-4);
    }
    const drift = kernel.getWeights().reduce((m, w, i) => Math.max(m, Math.abs(w - (reference.getWeights()[i] as number))), 0);
    expect(drift).toBeLessThan(1e-5);
    expect(Array.from(kernel.getTargetWeights())).toEqual(Array.from(weights));
    kernel.updateTarget(1);
    expect(Array.from(kernel.getTargetWeights())).toEqual(Array.from(kernel.getWeights()));
    reference.dispose();
  });
});
