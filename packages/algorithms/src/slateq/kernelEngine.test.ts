import { createRng, makeEnv, SampleBatch } from '@loomrl/core';
import {
  choiceParameterLayout,
  initialWeights,
  type SlateChoiceModelConfig,
  type SlateQNetworkSpec,
  slateObservationLayout,
  slateQNetworkLayout,
} from '@loomrl/core/internal';
import { selectBackend } from '@loomrl/core/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '../__fixtures__/closeness.js';
import '../index.js';
import { KernelSlateQEngine } from './kernelEngine.js';
import type { SlateQEngineInit, SlateQLearner, SlateQLearnerSettings, SlateQTrainColumns } from './learner.js';
import { TfSlateQEngine } from './tfEngine.js';

const IEV = 'RecSim/InterestEvolution-v0';
const envConfig = { numCandidates: 5, slateSize: 2, resampleDocuments: true };

/** `rows` transitions of Interest Evolution under random duplicate-free slates, as a replayed batch with random importance weights. */
function replayed(rows: number, seed: number): SampleBatch<SlateQTrainColumns> {
  const env = makeEnv(IEV, envConfig);
  const rng = createRng(seed, 'slates');
  const width = env.observationSpace.flatten(env.reset({ seed }).obs).length;
  const obs = new Float32Array(rows * width);
  const nextObs = new Float32Array(rows * width);
  const actions = new Float32Array(rows * 2);
  const rewards = new Float32Array(rows);
  const terminateds = new Uint8Array(rows);
  let current = env.observationSpace.flatten(env.reset({ seed }).obs);
  for (let r = 0; r < rows; r++) {
    const first = Math.floor(rng.random() * 5);
    const second = (first + 1 + Math.floor(rng.random() * 4)) % 5;
    const step = env.step(Int32Array.of(first, second));
    const next = env.observationSpace.flatten(step.obs);
    obs.set(current, r * width);
    nextObs.set(next, r * width);
    actions.set([first, second], r * 2);
    rewards[r] = step.reward;
    terminateds[r] = step.terminated ? 1 : 0;
    current = step.terminated || step.truncated ? env.observationSpace.flatten(env.reset({ seed: seed + r }).obs) : next;
  }
  const weights = Float32Array.from({ length: rows }, () => 0.5 + rng.random());
  return new SampleBatch<SlateQTrainColumns>(
    rows,
    { obs: width, nextObs: width, actions: 2, rewards: 1, terminateds: 1, batchIndexes: 1, weights: 1 },
    { obs, nextObs, actions, rewards, terminateds, batchIndexes: Int32Array.from({ length: rows }, (_, i) => i), weights },
  );
}

const layout = (() => {
  const env = makeEnv(IEV, envConfig);
  return slateObservationLayout(env.observationSpace as never, env.actionSpace as never);
})();

const settings = (overrides: Partial<SlateQLearnerSettings> = {}): SlateQLearnerSettings => ({
  lr: 3e-3,
  gradClip: null,
  adamEpsilon: 1e-5,
  gamma: 0.9,
  useHuber: false,
  huberThreshold: 1,
  lrChoiceModel: 1e-2,
  targetQFromCurrentObs: false,
  targetSlateSelection: 'optimal',
  ...overrides,
});

const fixed: SlateChoiceModelConfig = { type: 'fixedProportional', minNormalizer: -1, noClickMass: 1 };
const learned: SlateChoiceModelConfig = { type: 'learnedLogit' };

function startFrom(spec: SlateQNetworkSpec, choiceModel: SlateChoiceModelConfig, s: SlateQLearnerSettings): SlateQEngineInit {
  const rng = createRng(7);
  const weights = initialWeights(slateQNetworkLayout(spec), rng).map((w) => w + 0.05 * rng.normal());
  const choiceParams =
    choiceModel.type === 'learnedLogit'
      ? Float32Array.from({ length: choiceParameterLayout(spec.layout).size }, () => 0.3 * rng.normal())
      : null;
  return { spec, choiceModel, weights, choiceParams, settings: s };
}

function expectSameLearners(a: SlateQLearner, b: SlateQLearner, when: string): void {
  expectClose(a.getWeights(), b.getWeights(), `online weights ${when}`);
  expectClose(a.target.getWeights(), b.target.getWeights(), `target weights ${when}`);
  const [ca, cb] = [a.getChoiceParams(), b.getChoiceParams()];
  expect(ca === null).toBe(cb === null);
  if (ca !== null && cb !== null) expectClose(ca, cb, `choice model ${when}`);
}

describe("SlateQ's loss on the WebAssembly kernels", () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  const spec = (towers: 'shared' | 'perCandidate', noClickTower: boolean): SlateQNetworkSpec => ({
    layout,
    hiddens: [12, 6],
    towers,
    noClickTower,
  });
  const cases: Array<[string, SlateQNetworkSpec, SlateChoiceModelConfig, SlateQLearnerSettings]> = [
    ['shared tower, no-click tower, fixed click scores', spec('shared', true), fixed, settings()],
    [
      'per-candidate towers, Huber, global-norm clipping, top-K targets',
      spec('perCandidate', false),
      fixed,
      settings({ useHuber: true, huberThreshold: 0.5, gradClip: 0.3, targetSlateSelection: 'topK' }),
    ],
    [
      'per-candidate towers, no-click tower, learned choice model',
      spec('perCandidate', true),
      learned,
      settings({ targetQFromCurrentObs: true }),
    ],
  ];

  it.each(cases)(
    'takes the same update as TensorFlow.js from the same weights: stats, TD errors, new weights and optimizer moments to 1e-5 (%s)',
    async (_name, networkSpec, choiceModel, s) => {
      const init = startFrom(networkSpec, choiceModel, s);
      const kernel = new KernelSlateQEngine(init);
      const reference = new TfSlateQEngine(init);
      try {
        const batch = replayed(48, 3);
        expectClose(kernel.tdTargets(batch), reference.tdTargets(batch), 'TD targets');
        const a = kernel.update(batch, 3e-3);
        const b = reference.update(batch, 3e-3);
        expect(b.stats.clickFraction).toBeGreaterThan(0.2);
        expect(b.stats.clickFraction).toBeLessThan(1);
        for (const key of Object.keys(b.stats) as (keyof typeof b.stats)[]) {
          expectClose([a.stats[key] as number], [b.stats[key] as number], key);
        }
        expectClose(a.tdErrors, b.tdErrors, 'TD errors');
        expectSameLearners(kernel, reference, 'after one update');
        const [sa, sb] = [await kernel.getOptimizerStates(), await reference.getOptimizerStates()];
        expect(Object.keys(sa)).toEqual(Object.keys(sb));
        for (const name of Object.keys(sb)) {
          const ta = sa[name]?.tensors ?? [];
          const tb = sb[name]?.tensors ?? [];
          expect(ta.map((t) => t.shape)).toEqual(tb.map((t) => t.shape));
          for (const [i, t] of tb.entries()) expectClose(ta[i]?.values ?? [], t.values, `${name} optimizer tensor ${i}`);
        }
        // Two more (the second larger than the kernel passes were sized for), then a soft target update.
        for (const [i, rows] of [32, 150].entries()) {
          const next = replayed(rows, 10 + i);
          kernel.update(next, 1e-3);
          reference.update(next, 1e-3);
        }
        kernel.updateTarget(0.3);
        reference.updateTarget(0.3);
        expectSameLearners(kernel, reference, 'after three updates and a target update');
        const after = replayed(40, 30);
        expectClose(kernel.update(after, 1e-3).tdErrors, reference.update(after, 1e-3).tdErrors, 'TD errors after a target update');
      } finally {
        kernel.dispose();
        reference.dispose();
      }
    },
  );

  it('moves its state to the TensorFlow.js engine mid-run (a checkpoint from either engine resumes on the other)', async () => {
    const [, networkSpec, choiceModel, s] = cases[2] as (typeof cases)[number];
    const init = startFrom(networkSpec, choiceModel, s);
    const kernel = new KernelSlateQEngine(init);
    const reference = new TfSlateQEngine(init);
    try {
      kernel.update(replayed(40, 5), 2e-3);
      kernel.updateTarget(1);
      kernel.update(replayed(40, 6), 2e-3);
      reference.online.setWeights(kernel.online.getWeights());
      reference.target.setWeights(kernel.target.getWeights());
      reference.setChoiceParams(kernel.getChoiceParams() as Float32Array);
      await reference.setOptimizerStates(await kernel.getOptimizerStates());
      const next = replayed(40, 7);
      expectClose(kernel.update(next, 2e-3).tdErrors, reference.update(next, 2e-3).tdErrors, 'TD errors after the move');
      expectSameLearners(kernel, reference, 'after the move and one update');
    } finally {
      kernel.dispose();
      reference.dispose();
    }
  });
});
