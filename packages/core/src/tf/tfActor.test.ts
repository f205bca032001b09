import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorInference, type ActorSpec, actorLayout } from '../models/actorNetwork.js';
import { initialWeights } from '../models/layout.js';
import { createRng, Rng } from '../rng.js';
import { selectBackend, tf } from './backend.js';
import { TfActor } from './tfMlp.js';

const ROWS = 9;

/**
 * |a − b| ≤ tol · max(1, |b|). The squashed Gaussian's log-density loses digits in float32 near
 * |a| → 1 (1 − a² cancels), so its log-probabilities agree to 1e-4 relative, everything else to 1e-5.
 */
function expectClose(a: number, b: number, tol: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

function randomWeights(spec: ActorSpec, seed: number): Float32Array {
  const rng = createRng(seed);
  const w = initialWeights(actorLayout(spec), rng);
  for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) + 0.3 * rng.normal();
  return w;
}

function observations(seed: number, dim: number): Float32Array {
  const rng = createRng(seed, 'obs');
  return Float32Array.from({ length: ROWS * dim }, () => 2 * rng.normal());
}

const variants: Array<[string, ActorSpec]> = [
  [
    'categorical at temperature 0.7 (CRR, discrete SAC)',
    { obsDim: 4, distribution: 'categorical', actionSize: 3, hiddens: [16, 8], activation: 'relu', temperature: 0.7 },
  ],
  [
    'diagonal Gaussian (CRR)',
    { obsDim: 3, distribution: 'diagGaussian', actionSize: 2, hiddens: [16], activation: 'tanh', temperature: 1 },
  ],
  [
    'squashed Gaussian (SAC, CQL)',
    { obsDim: 3, distribution: 'squashedGaussian', actionSize: 2, hiddens: [16, 16], activation: 'relu', temperature: 1 },
  ],
];

describe('the plain-JS actor module and its tfjs learner twin', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it.each(variants)('agree on distribution inputs, sampled actions and log-likelihoods to 1e-5: %s', (_name, spec) => {
    const weights = randomWeights(spec, 3);
    const plain = new ActorInference(spec);
    plain.setWeights(weights);
    const twin = new TfActor(spec, weights);
    const obs = observations(5, spec.obsDim);
    const inputs = new Float32Array(plain.forward(obs, ROWS));
    const tfInputs = tf.tidy(() => twin.forward(tf.tensor2d(obs, [ROWS, spec.obsDim])).dataSync() as Float32Array);
    for (let i = 0; i < inputs.length; i++) expectClose(tfInputs[i] as number, inputs[i] as number, 1e-5);
    // Actions sampled by the module (explore) and their log-probabilities, recomputed by the twin.
    const k = spec.distribution === 'categorical' ? 1 : spec.actionSize;
    const actions = new Float32Array(ROWS * k);
    const rng = new Rng('acts');
    const logps = Float64Array.from({ length: ROWS }, (_, r) => plain.act(inputs, r, rng, actions));
    const tfLogp = tf.tidy(() => twin.logp(tf.tensor2d(inputs, [ROWS, inputs.length / ROWS]), tf.tensor2d(actions, [ROWS, k])).dataSync());
    const tol = spec.distribution === 'squashedGaussian' ? 1e-4 : 1e-5;
    for (let r = 0; r < ROWS; r++) {
      // Recomputed from the float32 action the module stored: atanh undoes tanh up to float32 rounding.
      expectClose(plain.logLikelihood(inputs, r, actions), logps[r] as number, spec.distribution === 'squashedGaussian' ? 1e-3 : 1e-6);
      expectClose(tfLogp[r] as number, plain.logLikelihood(inputs, r, actions), tol);
    }
    twin.dispose();
  });

  it('gives the same reparameterised squashed sample and log-probability as the module draws from the same noise', () => {
    const spec = variants[2]?.[1] as ActorSpec;
    // Unsaturated actions (|a| < 0.999): at saturation float32's tanh rounds to ±1 and log(1 − a² + 1e-6) differs from float64's.
    const weights = initialWeights(actorLayout(spec), createRng(8));
    const plain = new ActorInference(spec);
    plain.setWeights(weights);
    const twin = new TfActor(spec, weights);
    const obs = observations(2, spec.obsDim);
    const inputs = new Float32Array(plain.forward(obs, ROWS));
    // The module's draws: mean + σ·ε with ε from the stream; replay ε through the twin.
    const noise = new Rng('noise');
    const eps = Float32Array.from({ length: ROWS * spec.actionSize }, () => noise.normal());
    const replay = new Rng('noise');
    const actions = new Float32Array(ROWS * spec.actionSize);
    const logps = Array.from({ length: ROWS }, (_, r) => plain.act(inputs, r, replay, actions));
    const [tfActions, tfLogp] = tf.tidy(() => {
      const drawn = twin.sample(tf.tensor2d(inputs, [ROWS, 2 * spec.actionSize]), tf.tensor2d(eps, [ROWS, spec.actionSize]));
      return [drawn.actions.dataSync(), drawn.logp.dataSync()];
    });
    for (let i = 0; i < actions.length; i++) expectClose(tfActions[i] as number, actions[i] as number, 1e-5);
    for (let r = 0; r < ROWS; r++) expectClose(tfLogp[r] as number, logps[r] as number, 1e-4);
    for (const a of actions) expect(Math.abs(a)).toBeLessThanOrEqual(1);
    twin.dispose();
  });
});
