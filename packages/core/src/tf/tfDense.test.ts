import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialWeights } from '../models/layout.js';
import { mlpLayout } from '../models/mlpLayout.js';
import { createRng } from '../rng.js';
import { selectBackend, tf } from './backend.js';
import { TfMlp } from './tfMlp.js';

/** The same stack spelt with tfjs's own ops (and so tfjs's own BatchMatMul gradient). */
function builtinForward(net: TfMlp, x: tf.Tensor2D): tf.Tensor2D {
  const layers = net.layout.layers;
  let h = x;
  layers.forEach((layer, i) => {
    h = tf.add(tf.matMul(h, net.weights.get<tf.Rank.R2>(layer.kernel.name)), net.weights.get<tf.Rank.R1>(layer.bias.name));
    if (i < layers.length - 1) h = tf.tanh(h);
  });
  return h;
}

describe('dense layers on tfjs-wasm', () => {
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    await selectBackend('wasm');
  });
  afterAll(async () => {
    if (previous) await tf.setBackend(previous);
  });

  it("give the same values and gradients (weights and inputs) as tfjs's built-in matMul gradient", () => {
    const layout = mlpLayout(5, [16, 8], 2);
    const net = new TfMlp(layout, 'tanh', initialWeights(layout, createRng(3, 'weights')));
    const rng = createRng(3, 'inputs');
    const input = tf.variable(
      tf.tensor2d(
        Float32Array.from({ length: 7 * 5 }, () => rng.normal()),
        [7, 5],
      ),
    );
    const variables = [...net.weights.variables, input];
    const loss = (forward: (x: tf.Tensor2D) => tf.Tensor2D) => () => tf.sum(tf.square(tf.sub(forward(input), 0.5))) as tf.Scalar;
    const ours = tf.variableGrads(
      loss((x) => net.forward(x)),
      variables,
    );
    const theirs = tf.variableGrads(
      loss((x) => builtinForward(net, x)),
      variables,
    );
    expect(ours.value.dataSync()[0]).toBeCloseTo(theirs.value.dataSync()[0] as number, 5);
    expect(Object.keys(ours.grads).sort()).toEqual(Object.keys(theirs.grads).sort());
    for (const [name, grad] of Object.entries(theirs.grads)) {
      const expected = grad.dataSync();
      const actual = (ours.grads[name] as tf.Tensor).dataSync();
      expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0);
      expected.forEach((g, i) => {
        expect(Math.abs((actual[i] as number) - g)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(g)));
      });
    }
    tf.dispose([ours.value, theirs.value, ...Object.values(ours.grads), ...Object.values(theirs.grads), input]);
    net.dispose();
  });
});
