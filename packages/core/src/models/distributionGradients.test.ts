import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { selectBackend, tf } from '../tf/backend.js';
import { createTfDistribution } from '../tf/tfDistributions.js';
import { createDistributionGradients } from './distributionGradients.js';
import { type DistributionSpec, distInputDim } from './spec.js';

describe('the plain-JS distribution terms with gradients', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  const specs: Array<[string, DistributionSpec, number]> = [
    ['categorical', { type: 'categorical', n: 4 }, 1],
    ['multi-categorical', { type: 'multiCategorical', nvec: [3, 2, 5] }, 3],
    ['diagonal Gaussian', { type: 'diagGaussian', dim: 3 }, 3],
  ];

  it.each(specs)('agree with the tfjs distribution in logp, entropy, KL and their gradients to 1e-5 (%s)', (_name, spec, actionDim) => {
    const rng = createRng(12);
    const rows = 9;
    const width = distInputDim(spec);
    const inputs = Float32Array.from({ length: rows * width }, () => rng.normal());
    const old = Float32Array.from({ length: rows * width }, () => rng.normal());
    const actions = Float32Array.from({ length: rows * actionDim }, (_, i) => {
      if (spec.type === 'categorical') return rng.int(spec.n);
      if (spec.type === 'multiCategorical') return rng.int(spec.nvec[i % actionDim] as number);
      return rng.normal();
    });
    const coefficients = { gLogp: 0.7, gEntropy: -0.3, gKl: 1.1 };
    const plain = createDistributionGradients(spec);
    const terms = new Float64Array(3);
    const grad = new Float32Array(rows * width);
    const values: number[][] = [];
    for (let r = 0; r < rows; r++) {
      plain.evaluate(inputs, r * width, actions, r * actionDim, old, r * width, terms);
      values.push(Array.from(terms));
      plain.backward(coefficients.gLogp, coefficients.gEntropy, coefficients.gKl, grad, r * width);
    }
    const dist = createTfDistribution(spec);
    const [logp, entropy, kl, expectedGrad] = tf.tidy(() => {
      const x = tf.tensor2d(inputs, [rows, width]);
      const a = tf.tensor2d(actions, [rows, actionDim]);
      const o = tf.tensor2d(old, [rows, width]);
      const objective = (y: tf.Tensor) =>
        tf.sum(
          tf.addN([
            tf.mul(coefficients.gLogp, dist.logp(y as tf.Tensor2D, a)),
            tf.mul(coefficients.gEntropy, dist.entropy(y as tf.Tensor2D)),
            tf.mul(coefficients.gKl, dist.kl(o, y as tf.Tensor2D)),
          ]),
        ) as tf.Scalar;
      return [dist.logp(x, a).dataSync(), dist.entropy(x).dataSync(), dist.kl(o, x).dataSync(), tf.grad(objective)(x).dataSync()];
    });
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-5 * Math.max(1, Math.abs(b)));
    for (let r = 0; r < rows; r++) {
      const [lp, h, d] = values[r] as number[];
      close(lp as number, logp[r] as number);
      close(h as number, entropy[r] as number);
      close(d as number, kl[r] as number);
    }
    for (let i = 0; i < grad.length; i++) {
      expect(Math.abs((grad[i] as number) - (expectedGrad[i] as number))).toBeLessThan(
        1e-5 * Math.max(1, Math.abs(expectedGrad[i] as number)),
      );
    }
  });
});
