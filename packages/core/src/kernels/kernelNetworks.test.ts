import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialWeights, weightLayout } from '../models/layout.js';
import { type QNetworkSpec, qNetworkLayout } from '../models/qNetwork.js';
import type { ActorCriticSpec, DistributionSpec } from '../models/spec.js';
import { distInputDim } from '../models/spec.js';
import { createRng, type Rng } from '../rng.js';
import { selectBackend, tf } from '../tf/backend.js';
import { ClippedAdam } from '../tf/optimizer.js';
import { TfActorCritic } from '../tf/tfActorCritic.js';
import { TfQNetwork } from '../tf/tfQNetwork.js';
import { TfWeights } from '../tf/tfWeights.js';
import { DenseKernel } from './denseKernel.js';
import { KernelActorCritic } from './kernelActorCritic.js';
import { KernelAdam } from './kernelAdam.js';
import { KernelQNetwork } from './kernelQNetwork.js';

/** |a − b| ≤ 1e-5 · max(1, |b|) elementwise. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const b = expected[i] as number;
    worst = Math.max(worst, Math.abs((actual[i] as number) - b) / Math.max(1, Math.abs(b)));
  }
  expect(worst, what).toBeLessThan(1e-5);
}

function randomArray(n: number, rng: Rng, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

/** Weights with non-trivial biases and log-std so every parameter matters. */
function randomWeights(layout: { size: number; entries: Parameters<typeof initialWeights>[0]['entries'] }, rng: Rng): Float32Array {
  const w = initialWeights(layout, rng);
  for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) + 0.1 * rng.normal();
  return w;
}

/** tfjs's gradients of Σ upstream ⊙ outputs w.r.t. every variable, concatenated in layout order. */
function tfGradients(variables: tf.Variable[], outputs: () => Array<[tf.Tensor, Float32Array]>): Float32Array {
  const { grads, value } = tf.variableGrads(
    () => tf.addN(outputs().map(([out, upstream]) => tf.sum(tf.mul(out, tf.tensor(upstream, out.shape))))) as tf.Scalar,
    variables,
  );
  value.dispose();
  const parts = variables.map((v) => (grads[v.name] as tf.Tensor).dataSync() as Float32Array);
  tf.dispose(Object.values(grads));
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function acSpec(
  dist: DistributionSpec,
  hiddens: number[],
  activation: ActorCriticSpec['activation'],
  vfShareLayers: boolean,
  freeLogStd = false,
) {
  return { obsDim: 5, dist, hiddens, activation, vfShareLayers, freeLogStd } satisfies ActorCriticSpec;
}

describe('the WebAssembly dense-net kernels against TensorFlow.js', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  const actorCritics: Array<[string, ActorCriticSpec]> = [
    ['categorical, separate 24×20 tanh value net', acSpec({ type: 'categorical', n: 3 }, [24, 20], 'tanh', false)],
    ['categorical, shared 16×12 relu trunk', acSpec({ type: 'categorical', n: 4 }, [16, 12], 'relu', true)],
    ['multi-categorical, swish 9', acSpec({ type: 'multiCategorical', nvec: [2, 3] }, [9], 'swish', false)],
    ['Gaussian with state-dependent log-std, 33×8 tanh', acSpec({ type: 'diagGaussian', dim: 2 }, [33, 8], 'tanh', false)],
    ['Gaussian with free log-std, linear 12', acSpec({ type: 'diagGaussian', dim: 3 }, [12], 'linear', false, true)],
    ['no hidden layers, shared', acSpec({ type: 'categorical', n: 2 }, [], 'tanh', true)],
  ];

  it.each(actorCritics)('the actor-critic agrees on outputs and every gradient to 1e-5 (%s)', (_name, spec) => {
    const rng = createRng(11);
    const weights = randomWeights(weightLayout(spec), rng);
    const rows = 37;
    const model = new KernelActorCritic(spec, weights, 40, 1e-3, null);
    const tfModel = new TfActorCritic(spec, weights);
    const obs = randomArray(rows * spec.obsDim, rng, 2);
    const dDist = randomArray(rows * distInputDim(spec.dist), rng);
    const dValues = randomArray(rows, rng);
    const { distInputs, values } = model.forward({ data: obs, width: spec.obsDim, indices: null, start: 0 }, rows);
    const [tfDist, tfValues] = tf.tidy(() => {
      const out = tfModel.forward(tf.tensor2d(obs, [rows, spec.obsDim]));
      return [out.distInputs.dataSync(), out.values.dataSync()];
    });
    expectClose(distInputs, tfDist as Float32Array, 'distInputs');
    expectClose(values, tfValues as Float32Array, 'values');
    model.backward(rows, dDist, dValues);
    const expected = tfGradients(tfModel.variables, () => {
      const out = tfModel.forward(tf.tensor2d(obs, [rows, spec.obsDim]));
      return [
        [out.distInputs, dDist],
        [out.values, dValues],
      ];
    });
    expectClose(model.getGradients(), expected, 'gradients');
    tfModel.dispose();
  });

  it('gathers minibatch rows by index and computes V(s) for more rows than a minibatch holds', () => {
    const spec = actorCritics[0]?.[1] as ActorCriticSpec;
    const rng = createRng(3);
    const weights = randomWeights(weightLayout(spec), rng);
    const model = new KernelActorCritic(spec, weights, 8, 1e-3, null);
    const obs = randomArray(30 * spec.obsDim, rng);
    const all = model.values(obs, 30);
    const order = Int32Array.from([29, 3, 17, 0, 8]);
    const picked = model.forward({ data: obs, width: spec.obsDim, indices: order, start: 1 }, 3).values;
    expect(Array.from(picked)).toEqual([all[3], all[17], all[0]]);
  });

  const qNetworks: Array<[string, QNetworkSpec]> = [
    ['dueling, 16×12 relu trunk', { obsDim: 4, numActions: 3, hiddens: [16, 12], activation: 'relu', headHiddens: [], dueling: true }],
    [
      'dueling with a 6-unit head, tanh trunk',
      { obsDim: 4, numActions: 2, hiddens: [10], activation: 'tanh', headHiddens: [6], dueling: true },
    ],
    ['plain Q head, swish trunk', { obsDim: 4, numActions: 5, hiddens: [8, 8], activation: 'swish', headHiddens: [], dueling: false }],
    ['no trunk', { obsDim: 4, numActions: 2, hiddens: [], activation: 'relu', headHiddens: [7], dueling: true }],
  ];

  it.each(qNetworks)('the Q network agrees on Q values and every gradient to 1e-5 (%s)', (_name, spec) => {
    const rng = createRng(5);
    const weights = randomWeights(qNetworkLayout(spec), rng);
    const rows = 21;
    const net = new KernelQNetwork(spec, weights, 32, 1e-3, null, 1e-8);
    const tfNet = new TfQNetwork(spec, weights);
    const obs = randomArray(rows * spec.obsDim, rng, 2);
    const dQ = randomArray(rows * spec.numActions, rng);
    const q = net.qValues(
      'online',
      { data: obs, width: spec.obsDim, indices: null, start: 0 },
      rows,
      new Float32Array(rows * spec.numActions),
    );
    const tfQ = tf.tidy(() => tfNet.forward(tf.tensor2d(obs, [rows, spec.obsDim])).dataSync());
    expectClose(q, tfQ as Float32Array, 'Q values');
    net.backward(rows, dQ);
    const expected = tfGradients(tfNet.weights.variables, () => [[tfNet.forward(tf.tensor2d(obs, [rows, spec.obsDim])), dQ]]);
    expectClose(net.getGradients(), expected, 'gradients');
    tfNet.dispose();
  });

  it('keeps the target network apart until updateTarget copies or blends the online weights', () => {
    const spec = qNetworks[0]?.[1] as QNetworkSpec;
    const rng = createRng(8);
    const net = new KernelQNetwork(spec, randomWeights(qNetworkLayout(spec), rng), 8, 1e-3, null, 1e-8);
    const start = net.getTargetWeights();
    const moved = randomWeights(qNetworkLayout(spec), rng);
    net.setWeights(moved);
    expect(Array.from(net.getTargetWeights())).toEqual(Array.from(start));
    net.updateTarget(0.25);
    const blended = net.getTargetWeights();
    for (const i of [0, 7, blended.length - 1]) {
      expect(blended[i]).toBeCloseTo(0.25 * (moved[i] as number) + 0.75 * (start[i] as number), 6);
    }
    net.updateTarget(1);
    expect(Array.from(net.getTargetWeights())).toEqual(Array.from(moved));
  });

  it.each([
    ['without clipping', null],
    ['with global-norm clipping', 0.5],
  ])('steps Adam like tfjs %s, and its state loads into tfjs Adam and back', async (_name, gradClip) => {
    const rng = createRng(21);
    const entries = [
      { name: 'a/kernel', shape: [3, 5], offset: 0, size: 15, initScale: 1 },
      { name: 'a/bias', shape: [5], offset: 15, size: 5, initScale: 0 },
    ];
    const weights = randomArray(20, rng);
    const kernel = new DenseKernel();
    const w = kernel.alloc(20);
    const g = kernel.alloc(20);
    kernel.view(w).set(weights);
    const adam = new KernelAdam(kernel, w, g, entries, 0.01, gradClip);
    const tfWeights = new TfWeights({ size: 20, entries }, weights);
    const tfAdam = new ClippedAdam(tfWeights.variables, 0.01, gradClip);
    for (let step = 0; step < 4; step++) {
      const grads = randomArray(20, rng);
      kernel.view(g).set(grads);
      const norm = adam.step();
      const tfNorm = tfAdam.step(
        () =>
          tf.addN(
            tfWeights.variables.map((v, i) => tf.sum(tf.mul(v, tf.tensor(grads.subarray(i === 0 ? 0 : 15, i === 0 ? 15 : 20), v.shape)))),
          ) as tf.Scalar,
      );
      expect(norm).toBeCloseTo(tfNorm, 5);
    }
    expectClose(kernel.view(w), tfWeights.getWeights(), 'weights after 4 steps');
    const state = adam.getState();
    const tfState = await tfAdam.getState();
    expect(state.tensors.map((t) => t.shape)).toEqual(tfState.tensors.map((t) => t.shape));
    state.tensors.forEach((t, i) => {
      expectClose(t.values, tfState.tensors[i]?.values as Float32Array, `optimizer tensor ${t.name}`);
    });
    // Across the two: tfjs's state into the kernel's Adam, the kernel's into tfjs's.
    const fresh = new KernelAdam(kernel, w, g, entries, 0.01, gradClip);
    fresh.setState(tfState);
    expect(fresh.getState().tensors.map((t) => Array.from(t.values))).toEqual(tfState.tensors.map((t) => Array.from(t.values)));
    await tfAdam.setState(state);
    expect((await tfAdam.getState()).tensors.map((t) => Array.from(t.values))).toEqual(state.tensors.map((t) => Array.from(t.values)));
    expect(() => fresh.setState({ tensors: state.tensors.slice(0, 2) })).toThrow(
      /Optimizer state has 2 tensors; this model's Adam needs 1 or 5/,
    );
    tfAdam.dispose();
    tfWeights.dispose();
  });

  it('stores Adam moments that decay below the smallest normal float32 as 0 (a dead unit never runs on subnormals)', () => {
    const entries = [{ name: 'a/kernel', shape: [9], offset: 0, size: 9, initScale: 1 }];
    const kernel = new DenseKernel();
    const w = kernel.alloc(9);
    const g = kernel.alloc(9);
    kernel.view(w).set(Float32Array.from({ length: 9 }, (_, i) => i / 10));
    const adam = new KernelAdam(kernel, w, g, entries, 1e-3, null);
    // One gradient, then none: the first moments decay by β₁ = 0.9 per step, 0.1·0.9ᵗ·1e-3, and
    // would be subnormal (< 2⁻¹²⁶ ≈ 1.18e-38) from step ~730 to ~890; the second (β₂ = 0.999) stays normal.
    kernel.view(g).set(new Float32Array(9).fill(1e-3));
    adam.step();
    kernel.view(g).fill(0);
    const m = () => adam.getState().tensors.find((t) => t.name === 'a/kernel/m')?.values as Float32Array;
    for (let step = 0; step < 700; step++) adam.step();
    expect(m()[0]).toBeGreaterThan(1.1754943508222875e-38);
    for (let step = 0; step < 100; step++) adam.step();
    // The SIMD lanes (0–7) and the scalar tail (8) both flush.
    expect(Array.from(m())).toEqual(new Array(9).fill(0));
    const v = adam.getState().tensors.find((t) => t.name === 'a/kernel/v')?.values as Float32Array;
    expect(v[0]).toBeGreaterThan(0);
    expect(Number.isFinite(kernel.view(w)[8] as number)).toBe(true);
  });

  it('gives bit-identical gradients and weights in two instances fed the same data', () => {
    const spec = actorCritics[0]?.[1] as ActorCriticSpec;
    const run = () => {
      const rng = createRng(4);
      const model = new KernelActorCritic(spec, randomWeights(weightLayout(spec), rng), 16, 1e-3, 1);
      for (let step = 0; step < 3; step++) {
        const obs = randomArray(16 * spec.obsDim, rng);
        model.forward({ data: obs, width: spec.obsDim, indices: null, start: 0 }, 16);
        model.backward(16, randomArray(16 * 3, rng), randomArray(16, rng));
        model.optimizer.step();
      }
      return Buffer.from(model.getWeights().buffer);
    };
    expect(run().equals(run())).toBe(true);
  });
});
