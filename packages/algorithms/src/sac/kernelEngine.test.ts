import { createRng } from '@loomrl/core';
import type { OptimizerState } from '@loomrl/core/internal';
import { selectBackend } from '@loomrl/core/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '../__fixtures__/closeness.js';
import { expectSameWeights, firstStepGradients, networkSpec, replayed, squashed, startingWeights } from '../__fixtures__/sacEngineCases.js';
import { KernelSACEngine } from './kernelEngine.js';
import type { SACEngineInit, SACLearnerSettings } from './learner.js';
import type { SacNetworkSpec } from './networkSpec.js';
import { TfSACEngine } from './tfEngine.js';

describe("SAC's losses on the WebAssembly kernels", () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  const cases: Array<[string, SacNetworkSpec, number | null]> = [
    ['squashed Gaussian, twin Q, relu actor', networkSpec(squashed('relu'), [9, 7], true), null],
    ['squashed Gaussian, one Q, tanh actor, global-norm clipping', networkSpec(squashed('tanh'), [10], false), 0.5],
    [
      'categorical at temperature 0.7, twin Q',
      networkSpec(
        { obsDim: 4, distribution: 'categorical', actionSize: 3, hiddens: [9], activation: 'tanh', temperature: 0.7 },
        [8, 8],
        true,
      ),
      null,
    ],
  ];

  it.each(cases)(
    'takes the same update as TensorFlow.js from the same weights and noise: gradients, stats, TD errors, new weights to 1e-5 (%s)',
    async (_name, spec, gradClip) => {
      const settings: SACLearnerSettings = {
        optimization: { actorLearningRate: 3e-3, criticLearningRate: 2e-3, entropyLearningRate: 1e-3 },
        gradClip,
      };
      const weights = startingWeights(spec, createRng(2));
      const init = (seed: number): SACEngineInit => ({ spec, weights, settings, targetEntropy: -1.3, rng: createRng(seed) });
      const kernel = new KernelSACEngine(init(9));
      const reference = new TfSACEngine(init(9));
      try {
        const batch = replayed(spec, 48, 5);
        const a = kernel.update(batch);
        const b = reference.update(batch);
        for (const key of ['actorLoss', 'criticLoss', 'alphaLoss', 'alphaValue', 'meanQ', 'maxQ', 'minQ', 'actorGradGnorm']) {
          expectClose([a.stats[key] as number], [b.stats[key] as number], key);
        }
        expectClose(a.tdErrors, b.tdErrors, 'TD errors');
        if (!spec.discrete) expect(Array.from(b.tdErrors).some((e) => e > 1)).toBe(true);
        const ga = firstStepGradients(await kernel.getOptimizerStates());
        const gb = firstStepGradients(await reference.getOptimizerStates());
        for (const name of ['actor', 'critic', 'alpha'])
          expectClose(ga[name] as Float32Array, gb[name] as Float32Array, `${name} gradients`);
        expectSameWeights(kernel.nets.getWeights(), reference.nets.getWeights(), 'after one update');
        // Two more (the second larger than the kernel nets were sized for), then a soft target update.
        for (const [i, rows] of [64, 300].entries()) {
          const next = replayed(spec, rows, 20 + i);
          kernel.update(next);
          reference.update(next);
        }
        kernel.nets.updateTargets(0.3);
        reference.nets.updateTargets(0.3);
        expectSameWeights(kernel.nets.getWeights(), reference.nets.getWeights(), 'after three updates and a target update');
      } finally {
        reference.nets.dispose();
        reference.dispose();
      }
    },
  );

  it('moves its state to the TensorFlow.js engine and back mid-run (a checkpoint from either engine resumes on the other)', async () => {
    const [, spec] = cases[0] as (typeof cases)[number];
    const settings: SACLearnerSettings = {
      optimization: { actorLearningRate: 3e-3, criticLearningRate: 2e-3, entropyLearningRate: 1e-3 },
      gradClip: null,
    };
    const rng = createRng(9);
    const init = { spec, weights: startingWeights(spec, createRng(2)), settings, targetEntropy: -1.3 };
    const kernel = new KernelSACEngine({ ...init, rng });
    for (const seed of [1, 2]) kernel.update(replayed(spec, 32, seed));
    kernel.nets.updateTargets(0.5);
    // The tfjs engine picks up the kernel's weights, optimizer state and noise stream.
    const movedRng = createRng(0);
    movedRng.setState(rng.getState());
    const moved = new TfSACEngine({ ...init, rng: movedRng });
    const back = new KernelSACEngine({ ...init, rng: createRng(0) });
    try {
      moved.nets.setWeights(kernel.nets.getWeights());
      await moved.setOptimizerStates(await kernel.getOptimizerStates());
      const next = replayed(spec, 32, 3);
      const expected = kernel.update(next);
      const actual = moved.update(next);
      expectClose([actual.stats.criticLoss as number], [expected.stats.criticLoss as number], 'critic loss after the move');
      expectSameWeights(moved.nets.getWeights(), kernel.nets.getWeights(), 'one update after the move to tfjs');
      back.nets.setWeights(moved.nets.getWeights());
      await back.setOptimizerStates(await moved.getOptimizerStates());
      const values = (states: Record<string, OptimizerState>) =>
        Object.entries(states).map(([name, state]) => [name, state.tensors.map((t) => Array.from(t.values))]);
      expect(values(await back.getOptimizerStates())).toEqual(values(await moved.getOptimizerStates()));
    } finally {
      moved.nets.dispose();
      moved.dispose();
    }
  });
});
