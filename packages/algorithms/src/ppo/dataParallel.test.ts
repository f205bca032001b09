import { createRng, LearnerError, type Rng } from '@loomrl/core';
import { type ActorCriticSpec, initialWeights, liveLearnerThreads, weightLayout } from '@loomrl/core/internal';
import { describe, expect, it } from 'vitest';
import { normals } from '../__fixtures__/closeness.js';
import { DQNConfig, PPOConfig } from '../index.js';
import { KernelPPOEngine } from './kernelEngine.js';
import type { PPOLearnerSettings, PPOTrainData } from './learner.js';

const SETTINGS: PPOLearnerSettings = {
  lr: 1e-3,
  gradClip: 0.5,
  klCoeff: 0.2,
  klTarget: 0.01,
  useKlLoss: true,
  useCritic: true,
  sgdMinibatchSize: 37,
  numSgdIter: 1,
  shuffleSequences: true,
  clipParam: 0.2,
  vfClipParam: 1.5,
  vfLossCoeff: 0.7,
  entropyCoeff: 0.05,
};

/** A train batch for a 2-d diagonal Gaussian whose old policy differs from the new one (clips active on some rows). */
function trainData(rows: number, rng: Rng): PPOTrainData {
  const oldDistInputs = normals(rows * 4, rng, 0.3);
  const actions = normals(rows * 2, rng);
  const oldLogp = Float32Array.from({ length: rows }, (_, r) => {
    let logp = 0;
    for (let j = 0; j < 2; j++) {
      const mean = oldDistInputs[r * 4 + j] as number;
      const logStd = oldDistInputs[r * 4 + 2 + j] as number;
      const z = ((actions[r * 2 + j] as number) - mean) / Math.exp(logStd);
      logp += -0.5 * z * z - logStd - 0.5 * Math.log(2 * Math.PI);
    }
    return logp;
  });
  return {
    rows,
    obs: normals(rows * 3, rng),
    obsDim: 3,
    actions,
    actionDim: 2,
    oldLogp,
    oldDistInputs,
    distDim: 4,
    advantages: normals(rows, rng),
    valueTargets: normals(rows, rng, 2),
  };
}

const SPECS: Record<string, ActorCriticSpec> = {
  'separate nets, free log-std': {
    obsDim: 3,
    dist: { type: 'diagGaussian', dim: 2 },
    hiddens: [24, 16],
    activation: 'tanh',
    vfShareLayers: false,
    freeLogStd: true,
  },
  'shared trunk': {
    obsDim: 3,
    dist: { type: 'diagGaussian', dim: 2 },
    hiddens: [20],
    activation: 'relu',
    vfShareLayers: true,
    freeLogStd: false,
  },
};

/** Runs `steps` SGD steps of 37 rows on `learners` threads; returns the first step's gradient, the loss means and the final weights. */
async function run(spec: ActorCriticSpec, learners: number, steps: number) {
  const rng = createRng(4);
  const weights = initialWeights(weightLayout(spec), rng);
  const data = trainData(200, rng);
  const engine = await KernelPPOEngine.create(spec, weights, SETTINGS, learners);
  try {
    engine.begin(data, 1e-3);
    const order = Int32Array.from({ length: data.rows }, (_, i) => (i * 13) % data.rows);
    let gradients: Float32Array = new Float32Array(0);
    for (let s = 0; s < steps; s++) {
      engine.step(order, (s * 37) % 150, 37, 0.3);
      if (s === 0) gradients = engine.model.getGradients();
    }
    return { gradients, ...engine.finish(), weights: engine.getWeights() };
  } finally {
    await engine.dispose();
  }
}

describe('data-parallel PPO learner (resources({ numLearnerWorkers }))', () => {
  for (const [name, spec] of Object.entries(SPECS)) {
    it(`sums 2 and 3 threads' shard gradients to the 1-thread gradient within 1e-6 (${name})`, async () => {
      const one = await run(spec, 1, 1);
      const scale = one.gradients.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
      expect(scale).toBeGreaterThan(1e-3);
      for (const learners of [2, 3]) {
        const many = await run(spec, learners, 1);
        const worst = many.gradients.reduce((m, g, i) => Math.max(m, Math.abs(g - (one.gradients[i] as number))), 0);
        expect(worst / scale, `${learners} threads`).toBeLessThan(1e-6);
        many.means.forEach((mean, i) => {
          expect(Math.abs(mean - (one.means[i] as number)), `loss term ${i}`).toBeLessThan(
            1e-6 * Math.max(1, Math.abs(one.means[i] as number)),
          );
        });
      }
    });
  }

  it('gives bit-identical weights and loss terms for the same seed and thread count', async () => {
    const spec = SPECS['separate nets, free log-std'] as ActorCriticSpec;
    const first = await run(spec, 2, 8);
    const second = await run(spec, 2, 8);
    expect(Array.from(second.weights)).toEqual(Array.from(first.weights));
    expect(second.means).toEqual(first.means);
    expect(second.gradNormSum).toBe(first.gradNormSum);
  });

  it('trains PPO on 2 learner threads like on 1 and ends the threads on stop()', async () => {
    const before = liveLearnerThreads();
    const config = (learners: number) =>
      new PPOConfig()
        .environment({ env: 'CartPole-v1' })
        .training({ trainBatchSize: 256, sgdMinibatchSize: 64, numSgdIter: 2, model: { fcnetHiddens: [32, 32] } })
        .framework({ backend: 'loomrl' })
        .resources({ numLearnerWorkers: learners })
        .debugging({ seed: 3, logLevel: 'SILENT' });
    const results = [];
    for (const learners of [1, 2]) {
      const algo = config(learners).build();
      const result = await algo.train();
      if (learners === 2) expect(liveLearnerThreads()).toBe(before + 1);
      await algo.stop();
      results.push(result.learnerStats);
    }
    expect(liveLearnerThreads()).toBe(before);
    const [one, two] = results as unknown as [Record<string, number>, Record<string, number>];
    expect(two.numSgdSteps).toBe(one.numSgdSteps);
    expect(Math.abs((two.totalLoss as number) - (one.totalLoss as number))).toBeLessThan(1e-4);
  });

  it('rejects a bad numLearnerWorkers, and one above 1 where the learner cannot split minibatches, naming the option', () => {
    expect(() => new PPOConfig().resources({ numLearnerWorkers: -1 })).toThrow(
      /resources\(\{ numLearnerWorkers \}\): expected an integer from 0 to 64/,
    );
    expect(() => new PPOConfig().framework({ numLearnerWorkers: 2 } as never)).toThrow(/belongs to resources/);
    expect(() =>
      new PPOConfig().environment({ env: 'CartPole-v1' }).framework({ backend: 'wasm' }).resources({ numLearnerWorkers: 2 }).validate(),
    ).toThrow(/numLearnerWorkers: 2 \}\): PPO learns on one thread; only PPO on framework\(\{ backend: 'loomrl' \}\)/);
    expect(() => new DQNConfig().environment({ env: 'CartPole-v1' }).resources({ numLearnerWorkers: 2 }).validate()).toThrow(
      /DQN learns on one thread/,
    );
    expect(() => new DQNConfig().environment({ env: 'CartPole-v1' }).resources({ numLearnerWorkers: 1 }).validate()).not.toThrow();
    expect(PPOConfig.fromJSON(new PPOConfig().resources({ numLearnerWorkers: 2 }).toJSON()).settings.numLearnerWorkers).toBe(2);
  });

  it('turns a learner thread that dies into a LearnerError on the next step', async () => {
    const spec = SPECS['shared trunk'] as ActorCriticSpec;
    const rng = createRng(5);
    const engine = await KernelPPOEngine.create(spec, initialWeights(weightLayout(spec), rng), SETTINGS, 2);
    const data = trainData(100, rng);
    engine.begin(data, 1e-3);
    const order = Int32Array.from({ length: 100 }, (_, i) => i);
    engine.step(order, 0, 37, 0.2);
    await (engine as unknown as { helpers: { pool: { crashHelperForTest(i: number): Promise<void> } } }).helpers.pool.crashHelperForTest(0);
    expect(() => engine.step(order, 37, 37, 0.2)).toThrow(LearnerError);
    await engine.dispose();
  });
});
