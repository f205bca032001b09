import { createRng, type SampleBatch, type TransitionColumns } from '@loomrl/core';
import { selectBackend } from '@loomrl/core/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '../__fixtures__/closeness.js';
import { expectSameWeights, firstStepGradients, networkSpec, replayed, squashed, startingWeights } from '../__fixtures__/sacEngineCases.js';
import type { SacNetworkSpec } from '../sac/networkSpec.js';
import { SacNetworks } from '../sac/networks.js';
import { KernelCQLEngine } from './kernelEngine.js';
import { CQLLearner, type CQLLearnerSettings } from './learner.js';

const batch = (spec: SacNetworkSpec, rows: number, seed: number) => replayed(spec, rows, seed) as unknown as SampleBatch<TransitionColumns>;

describe("CQL's losses on the WebAssembly kernels", () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  const base: CQLLearnerSettings = {
    optimization: { actorLearningRate: 3e-3, criticLearningRate: 2e-3, entropyLearningRate: 1e-3 },
    gradClip: null,
    bcIters: 0,
    temperature: 1,
    numActions: 3,
    lagrangian: false,
    lagrangianThresh: 5,
    minQWeight: 5,
    gamma: 0.97,
  };
  const cases: Array<[string, SacNetworkSpec, CQLLearnerSettings]> = [
    ['behaviour cloning, twin Q', networkSpec(squashed('relu'), [9, 7], true), { ...base, bcIters: 100 }],
    [
      'SAC actor loss, Lagrangian α′, twin Q, temperature 1.5',
      networkSpec(squashed('relu'), [9, 7], true),
      { ...base, lagrangian: true, lagrangianThresh: 2, temperature: 1.5, numActions: 2 },
    ],
    [
      'cloning for one step, then SAC actor loss, one Q, global-norm clipping',
      networkSpec(squashed('tanh'), [10], false),
      { ...base, bcIters: 1, gradClip: 0.5, minQWeight: 2 },
    ],
  ];

  it.each(cases)(
    'takes the same sequential update as TensorFlow.js from the same weights and noise: gradients, stats, new weights to 1e-5 (%s)',
    async (_name, spec, settings) => {
      const weights = startingWeights(spec, createRng(2));
      const kernel = new KernelCQLEngine(spec, weights, settings, -1.3, createRng(9));
      const nets = new SacNetworks(spec, weights);
      const reference = new CQLLearner(nets, settings, -1.3, createRng(9));
      try {
        const first = batch(spec, 40, 5);
        const a = kernel.update(first);
        const b = reference.update(first);
        expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
        for (const [key, value] of Object.entries(b)) expectClose([a[key] as number], [value as number], key);
        const ga = firstStepGradients(await kernel.getOptimizerStates());
        const gb = firstStepGradients(await reference.getOptimizerStates());
        expect(Object.keys(ga).sort()).toEqual(Object.keys(gb).sort());
        for (const name of Object.keys(gb)) expectClose(ga[name] as Float32Array, gb[name] as Float32Array, `${name} gradients`);
        expectSameWeights(kernel.nets.getWeights(), nets.getWeights(), 'after one update');
        // Two more (the second larger than the kernel nets were sized for), then a soft target update.
        for (const [i, rows] of [40, 64].entries()) {
          const next = batch(spec, rows, 20 + i);
          const stats = kernel.update(next);
          expectClose([stats.cqlLoss as number], [reference.update(next).cqlLoss as number], `cqlLoss of update ${i + 2}`);
        }
        kernel.nets.updateTargets(0.3);
        nets.updateTargets(0.3);
        expectSameWeights(kernel.nets.getWeights(), nets.getWeights(), 'after three updates and a target update');
        const prime = reference.getLogAlphaPrime();
        if (prime === null) expect(kernel.getLogAlphaPrime()).toBeNull();
        else expectClose([kernel.getLogAlphaPrime() as number], [prime], 'log α′');
        expect(kernel.curIter).toBe(3);
      } finally {
        reference.dispose();
        nets.dispose();
      }
    },
  );

  it('continues bit for bit from its checkpointed state (weights, optimizers, log α′, step count, noise stream)', async () => {
    const spec = networkSpec(squashed('relu'), [9, 7], true);
    const settings = { ...base, lagrangian: true, bcIters: 2 };
    const rng = createRng(9);
    const original = new KernelCQLEngine(spec, startingWeights(spec, createRng(2)), settings, -1.3, rng);
    for (const seed of [1, 2]) original.update(batch(spec, 32, seed));
    const restoredRng = createRng(0);
    restoredRng.setState(rng.getState());
    const restored = new KernelCQLEngine(spec, startingWeights(spec, createRng(3)), settings, -1.3, restoredRng);
    restored.nets.setWeights(original.nets.getWeights());
    await restored.setOptimizerStates(await original.getOptimizerStates());
    restored.setLogAlphaPrime(original.getLogAlphaPrime() as number);
    restored.curIter = original.curIter;
    const next = batch(spec, 32, 3);
    expect(restored.update(next)).toEqual(original.update(next));
    const bytes = (w: ReturnType<typeof original.nets.getWeights>) =>
      Buffer.from(Float32Array.from([...w.policy, ...w.q.flatMap((q) => [...q])]).buffer);
    expect(bytes(restored.nets.getWeights()).equals(bytes(original.nets.getWeights()))).toBe(true);
  });
});
