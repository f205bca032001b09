import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorCriticInference } from '../models/actorCriticInference.js';
import { createPlainDistribution } from '../models/distributions.js';
import { initialWeights, weightLayout } from '../models/layout.js';
import type { ActorCriticSpec, DistributionSpec } from '../models/spec.js';
import { createRng } from '../rng.js';
import { selectBackend, tf } from './backend.js';
import { TfActorCritic } from './tfActorCritic.js';
import { createTfDistribution } from './tfDistributions.js';

const ROWS = 7;

function specOf(
  dist: DistributionSpec,
  vfShareLayers: boolean,
  freeLogStd: boolean,
  activation: ActorCriticSpec['activation'],
): ActorCriticSpec {
  return { obsDim: 5, dist, hiddens: [16, 8], activation, vfShareLayers, freeLogStd };
}

/** Weights with non-trivial biases and log-std so every parameter matters. */
function randomWeights(spec: ActorCriticSpec, seed: number): Float32Array {
  const layout = weightLayout(spec);
  const rng = createRng(seed);
  const w = initialWeights(layout, rng);
  for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) + 0.1 * rng.normal();
  return w;
}

describe('the plain-JS inference module and the tfjs learner model', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  const variants: Array<[string, ActorCriticSpec]> = [
    ['categorical, separate value trunk, tanh', specOf({ type: 'categorical', n: 3 }, false, false, 'tanh')],
    ['categorical, shared trunk, relu', specOf({ type: 'categorical', n: 4 }, true, false, 'relu')],
    ['multi-categorical, swish', specOf({ type: 'multiCategorical', nvec: [2, 3] }, false, false, 'swish')],
    ['Gaussian with state-dependent log-std', specOf({ type: 'diagGaussian', dim: 2 }, false, false, 'tanh')],
    ['Gaussian with free log-std', specOf({ type: 'diagGaussian', dim: 2 }, false, true, 'linear')],
  ];

  it.each(variants)('agree to 1e-5 on the forward pass and log-probs (%s)', (_name, spec) => {
    const weights = randomWeights(spec, 3);
    const inference = new ActorCriticInference(spec);
    inference.setWeights(weights);
    const model = new TfActorCritic(spec, weights);
    const rng = createRng(9);
    const obs = Float32Array.from({ length: ROWS * spec.obsDim }, () => rng.normal());
    const plain = inference.computeActions(obs, ROWS, true, rng);
    const plainDist = new Float32Array(plain.distInputs);
    const plainValues = new Float32Array(plain.values);
    const plainLogp = new Float32Array(plain.logp);
    const actions = new Float32Array(plain.actions);
    const [tfDist, tfValues, tfLogp] = tf.tidy(() => {
      const { distInputs, values } = model.forward(tf.tensor2d(obs, [ROWS, spec.obsDim]));
      const logp = createTfDistribution(spec.dist).logp(distInputs, tf.tensor2d(actions, [ROWS, actions.length / ROWS]));
      return [distInputs.dataSync(), values.dataSync(), logp.dataSync()];
    });
    const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      expect(a.length).toBe(b.length);
      for (let i = 0; i < a.length; i++)
        expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[i] as number)));
    };
    close(plainDist, tfDist);
    close(plainValues, tfValues);
    close(plainLogp, tfLogp);
    expect(Array.from(model.getWeights())).toEqual(Array.from(weights));
    model.dispose();
  });

  it('computes categorical entropy and KL as their closed forms', () => {
    const p = [0.2, 0.3, 0.5];
    const q = [0.4, 0.4, 0.2];
    const dist = createTfDistribution({ type: 'categorical', n: 3 });
    const [entropy, kl] = tf.tidy(() => {
      const lp = tf.tensor2d([p.map(Math.log)]);
      const lq = tf.tensor2d([q.map(Math.log)]);
      return [dist.entropy(lp).dataSync()[0] as number, dist.kl(lp, lq).dataSync()[0] as number];
    });
    expect(entropy).toBeCloseTo(-p.reduce((s, x) => s + x * Math.log(x), 0), 5);
    expect(kl).toBeCloseTo(
      p.reduce((s, x, i) => s + x * Math.log(x / (q[i] as number)), 0),
      5,
    );
  });

  it('computes Gaussian log-prob, entropy and KL as their closed forms', () => {
    const dist = createTfDistribution({ type: 'diagGaussian', dim: 1 });
    const [m0, s0, m1, s1, a] = [0.3, 0.5, -0.2, 1.5, 1.1];
    const [logp, entropy, kl] = tf.tidy(() => {
      const d0 = tf.tensor2d([[m0, Math.log(s0)]]);
      const d1 = tf.tensor2d([[m1, Math.log(s1)]]);
      return [
        dist.logp(d0, tf.tensor2d([[a]])).dataSync()[0] as number,
        dist.entropy(d0).dataSync()[0] as number,
        dist.kl(d0, d1).dataSync()[0] as number,
      ];
    });
    expect(logp).toBeCloseTo(-0.5 * ((a - m0) / s0) ** 2 - Math.log(s0) - 0.5 * Math.log(2 * Math.PI), 5);
    expect(entropy).toBeCloseTo(0.5 * Math.log(2 * Math.PI * Math.E * s0 * s0), 5);
    expect(kl).toBeCloseTo(Math.log(s1 / s0) + (s0 * s0 + (m0 - m1) ** 2) / (2 * s1 * s1) - 0.5, 5);
    const plain = createPlainDistribution({ type: 'diagGaussian', dim: 1 });
    expect(plain.logp(Float32Array.from([m0, Math.log(s0)]), 0, Float32Array.from([a]), 0)).toBeCloseTo(logp, 5);
  });

  it('samples categorical actions with the softmax probabilities', () => {
    const plain = createPlainDistribution({ type: 'categorical', n: 3 });
    const logits = Float32Array.from([Math.log(0.2), Math.log(0.3), Math.log(0.5)]);
    const rng = createRng(5);
    const counts = [0, 0, 0];
    const out = new Float32Array(1);
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      plain.sample(logits, 0, rng, out, 0);
      counts[out[0] as number] = (counts[out[0] as number] ?? 0) + 1;
    }
    for (const [k, p] of [0.2, 0.3, 0.5].entries()) {
      expect(Math.abs((counts[k] ?? 0) / draws - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / draws));
    }
  });
});
