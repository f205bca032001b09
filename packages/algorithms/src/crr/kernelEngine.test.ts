import { ConfigError, createRng, type Rng } from '@loomrl/core';
import { type ActorSpec, actorLayout, initialWeights } from '@loomrl/core/internal';
import { selectBackend } from '@loomrl/core/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, normals } from '../__fixtures__/closeness.js';
import { criticLayout } from '../sac/networkSpec.js';
import { KernelCRREngine } from './kernelEngine.js';
import type { CRREngine, CRREngineInit, CRRLearnerSettings, CRRWeights } from './learner.js';
import { TfCRREngine } from './tfEngine.js';

const SETTINGS: CRRLearnerSettings = {
  weightType: 'bin',
  temperature: 1,
  maxWeight: 20,
  advantageType: 'mean',
  nActionSample: 4,
  actorLr: 1e-3,
  criticLr: 1e-3,
  tdErrorLossFn: 'mse',
  gamma: 0.99,
  gradClip: null,
  criticHiddenActivation: 'relu',
};

/** Transitions as `CRREngine.update` reads them. */
function batch(spec: ActorSpec, rows: number, rng: Rng) {
  const discrete = spec.distribution === 'categorical';
  const actions = discrete
    ? Float32Array.from({ length: rows }, () => rng.int(spec.actionSize))
    : Float32Array.from({ length: rows * spec.actionSize }, () => Math.tanh(rng.normal()));
  return {
    count: rows,
    widths: { obs: spec.obsDim, actions: discrete ? 1 : spec.actionSize },
    columns: {
      obs: normals(rows * spec.obsDim, rng),
      nextObs: normals(rows * spec.obsDim, rng),
      actions,
      rewards: normals(rows, rng),
      terminateds: Uint8Array.from({ length: rows }, () => (rng.random() < 0.2 ? 1 : 0)),
    },
  } as never;
}

const discreteActor: ActorSpec = {
  obsDim: 4,
  distribution: 'categorical',
  actionSize: 3,
  hiddens: [16, 16],
  activation: 'relu',
  temperature: 1.5,
};
const boxActor: ActorSpec = { obsDim: 3, distribution: 'diagGaussian', actionSize: 2, hiddens: [16], activation: 'tanh', temperature: 1 };

const cases: Array<[string, ActorSpec, Partial<CRRLearnerSettings>, number]> = [
  ['Discrete, bin weights, mean advantage, mse', discreteActor, {}, 2],
  [
    'Discrete, exp weights, expectation, huber',
    discreteActor,
    { weightType: 'exp', advantageType: 'expectation', tdErrorLossFn: 'huber', maxWeight: 1.5 },
    2,
  ],
  ['Discrete, max advantage, one critic, clipped', discreteActor, { advantageType: 'max', gradClip: 0.5 }, 1],
  ['Box, exp weights, mean advantage, mse', boxActor, { weightType: 'exp', temperature: 0.7 }, 2],
  ['Box, bin weights, max advantage, huber, clipped', boxActor, { advantageType: 'max', tdErrorLossFn: 'huber', gradClip: 1 }, 2],
];

function initFor(spec: ActorSpec, settings: CRRLearnerSettings, critics: number, seed: number): CRREngineInit {
  const rng = createRng(seed);
  const critic = criticLayout(spec, [16, 16]);
  const weights = { policy: initialWeights(actorLayout(spec), rng), q: Array.from({ length: critics }, () => initialWeights(critic, rng)) };
  return { spec, critic, weights, settings, rng: createRng(seed, 'learner'), maxRows: 64 };
}

const flat = (w: CRRWeights): Float32Array[] => [w.policy, ...w.q, w.policyTarget, ...w.qTarget];

describe("CRR's update on the WebAssembly kernels", () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it.each(cases)(
    'takes the same actor and critic steps as the TensorFlow.js engine (%s): stats and every weight set agree to 1e-5 after two updates and a target update',
    (_name, spec, overrides, critics) => {
      const settings = { ...SETTINGS, ...overrides };
      const data = createRng(31);
      const [firstBatch, secondBatch] = [batch(spec, 64, data), batch(spec, 64, data)];
      const run = (engine: CRREngine) => {
        const first = engine.update(firstBatch);
        engine.updateTargets(0.5);
        const second = engine.update(secondBatch);
        const out = { stats: [first, second], weights: flat(engine.getWeights()) };
        engine.dispose();
        return out;
      };
      const init = initFor(spec, settings, critics, 3);
      const before = flat({ ...init.weights, policyTarget: init.weights.policy, qTarget: init.weights.q });
      const kernel = run(new KernelCRREngine(init));
      const reference = run(new TfCRREngine(initFor(spec, settings, critics, 3)));
      kernel.stats.forEach((stats, i) => {
        const expected = reference.stats[i] as Record<string, number>;
        const keys = Object.keys(expected);
        expect(Object.keys(stats).sort()).toEqual([...keys].sort());
        expectClose(
          keys.map((k) => stats[k] as number),
          keys.map((k) => expected[k] as number),
          `stats of update ${i} (${keys.join(', ')})`,
        );
      });
      kernel.weights.forEach((w, i) => {
        expectClose(w, reference.weights[i] as Float32Array, `weight set ${i}`);
        expect(
          w.some((x, j) => x !== (before[i] as Float32Array)[j]),
          `weight set ${i} moved`,
        ).toBe(true);
      });
    },
  );

  it("moves its state between engines mid-run (every weight set, both Adams' moments): the next update agrees to 1e-5", async () => {
    const [, spec, overrides, critics] = cases[3] as (typeof cases)[number];
    const settings = { ...SETTINGS, ...overrides };
    const data = createRng(5);
    const [first, second] = [batch(spec, 64, data), batch(spec, 64, data)];
    const kernel = new KernelCRREngine(initFor(spec, settings, critics, 7));
    kernel.update(first);
    kernel.updateTargets(0.3);
    const moved = new TfCRREngine({ ...initFor(spec, settings, critics, 7), rng: createRng(99) });
    moved.setWeights(kernel.getWeights());
    await moved.setOptimizerStates(await kernel.getOptimizerStates());
    const kernelNext = new KernelCRREngine({ ...initFor(spec, settings, critics, 7), rng: createRng(99) });
    kernelNext.setWeights(kernel.getWeights());
    await kernelNext.setOptimizerStates(await kernel.getOptimizerStates());
    const a = kernelNext.update(second) as Record<string, number>;
    const b = moved.update(second) as Record<string, number>;
    const keys = Object.keys(b);
    expectClose(
      keys.map((k) => a[k] as number),
      keys.map((k) => b[k] as number),
      'stats',
    );
    flat(kernelNext.getWeights()).forEach((w, i) => {
      expectClose(w, flat(moved.getWeights())[i] as Float32Array, `weight set ${i}`);
    });
    moved.dispose();
  });

  it("refuses advantageType 'expectation' for Box actions on either engine with a ConfigError naming the option", () => {
    const init = () => initFor(boxActor, { ...SETTINGS, advantageType: 'expectation' }, 2, 1);
    for (const make of [() => new KernelCRREngine(init()), () => new TfCRREngine(init())]) {
      expect(make).toThrow(ConfigError);
      expect(make).toThrow(/advantageType: 'expectation' \}\) needs Discrete actions/);
    }
  });
});
