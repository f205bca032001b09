import { createRng, SampleBatch } from '@loomrl/core';
import { initialWeights, type WolpertingerSpec, wolpertingerActorLayout, wolpertingerCriticLayout } from '@loomrl/core/internal';
import { selectBackend } from '@loomrl/core/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '../__fixtures__/closeness.js';
import { KernelWolpertingerEngine } from './kernelEngine.js';
import type { WolpertingerLearner, WolpertingerLearnerSettings, WolpertingerTrainColumns, WolpertingerWeights } from './learner.js';
import { TfWolpertingerEngine } from './tfEngine.js';

/** A spec with a 3-number state in a 5-number observation and `numItems` items of 4 embedding numbers. */
const spec = (numItems: number, criticHiddens: number[]): WolpertingerSpec => ({
  obsDim: 5,
  stateOffset: 1,
  stateDim: 3,
  numItems,
  embeddingDim: 4,
  actorHiddens: [7],
  criticHiddens,
});

function startingWeights(s: WolpertingerSpec, seed: number): WolpertingerWeights {
  const rng = createRng(seed);
  return {
    actor: initialWeights(wolpertingerActorLayout(s), rng).map((w) => w + 0.3 * rng.normal()),
    critic: initialWeights(wolpertingerCriticLayout(s), rng).map((w) => w + 0.3 * rng.normal()),
    embeddings: Float32Array.from({ length: s.numItems * s.embeddingDim }, () => rng.normal()),
  };
}

/** `rows` random transitions (items repeat, so embedding gradients add up; some rows terminal). */
function replayed(s: WolpertingerSpec, rows: number, seed: number): SampleBatch<WolpertingerTrainColumns> {
  const rng = createRng(seed);
  const columns = {
    obs: Float32Array.from({ length: rows * s.obsDim }, () => rng.uniform(-1, 1)),
    nextObs: Float32Array.from({ length: rows * s.obsDim }, () => rng.uniform(-1, 1)),
    actions: Float32Array.from({ length: rows }, () => Math.floor(rng.random() * s.numItems)),
    rewards: Float32Array.from({ length: rows }, () => rng.uniform(0, 2)),
    terminateds: Uint8Array.from({ length: rows }, () => (rng.random() < 0.2 ? 1 : 0)),
  };
  return new SampleBatch(rows, { obs: s.obsDim, nextObs: s.obsDim, actions: 1, rewards: 1, terminateds: 1 } as never, columns as never);
}

function expectSameWeights(a: WolpertingerLearner, b: WolpertingerLearner, when: string): void {
  for (const [name, set] of [
    ['online', (l: WolpertingerLearner) => l.online.get()],
    ['target', (l: WolpertingerLearner) => l.target.get()],
  ] as const) {
    const [wa, wb] = [set(a), set(b)];
    for (const key of ['actor', 'critic', 'embeddings'] as const) expectClose(wa[key], wb[key], `${name} ${key} ${when}`);
  }
}

describe("Wolpertinger's losses on the WebAssembly kernels", () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  const settings = (gradClip: number | null): WolpertingerLearnerSettings => ({
    actorLr: 2e-3,
    criticLr: 3e-3,
    gamma: 0.9,
    gradClip,
    k: 3,
  });
  const cases: Array<[string, WolpertingerSpec, number | null]> = [
    ['two critic layers, no clipping', spec(9, [8, 6]), null],
    ['one critic layer, global-norm clipping', spec(6, [10]), 0.5],
  ];

  it.each(cases)(
    'takes the same critic and actor steps as TensorFlow.js from the same weights: stats, weights, embeddings, Adam moments to 1e-5 (%s)',
    async (_name, s, gradClip) => {
      const weights = startingWeights(s, 4);
      const kernel = new KernelWolpertingerEngine(s, weights, settings(gradClip));
      const reference = new TfWolpertingerEngine(s, weights, settings(gradClip));
      try {
        const batch = replayed(s, 40, 1);
        const a = kernel.update(batch);
        const b = reference.update(batch);
        for (const key of Object.keys(b) as (keyof typeof b)[]) expectClose([a[key]], [b[key]], key);
        expectSameWeights(kernel, reference, 'after one update');
        expect(kernel.online.get().embeddings).not.toEqual(weights.embeddings);
        const [sa, sb] = [await kernel.getOptimizerStates(), await reference.getOptimizerStates()];
        for (const name of ['critic', 'actor']) {
          const [ta, tb] = [sa[name]?.tensors ?? [], sb[name]?.tensors ?? []];
          expect(ta.map((t) => t.shape)).toEqual(tb.map((t) => t.shape));
          for (const [i, t] of tb.entries()) expectClose(ta[i]?.values ?? [], t.values, `${name} optimizer tensor ${i}`);
        }
        // Two more (the second larger than the kernel passes were sized for), each followed by a soft target update.
        for (const [i, rows] of [32, 150].entries()) {
          const next = replayed(s, rows, 10 + i);
          kernel.update(next);
          reference.update(next);
          kernel.updateTargets(0.3);
          reference.updateTargets(0.3);
        }
        expectSameWeights(kernel, reference, 'after three updates and soft target updates');
        const after = replayed(s, 24, 30);
        expectClose(kernel.tdTargets(after), reference.tdTargets(after), 'TD targets from the soft-updated targets');
      } finally {
        kernel.dispose();
        reference.dispose();
      }
    },
  );

  it('moves its state to the TensorFlow.js engine mid-run (a checkpoint from either engine resumes on the other)', async () => {
    const [, s, gradClip] = cases[0] as (typeof cases)[number];
    const weights = startingWeights(s, 5);
    const kernel = new KernelWolpertingerEngine(s, weights, settings(gradClip));
    const reference = new TfWolpertingerEngine(s, weights, settings(gradClip));
    try {
      kernel.update(replayed(s, 30, 2));
      kernel.updateTargets(0.5);
      reference.online.set(kernel.online.get());
      reference.setTargets(kernel.target.get());
      await reference.setOptimizerStates(await kernel.getOptimizerStates());
      const next = replayed(s, 30, 3);
      const [a, b] = [kernel.update(next), reference.update(next)];
      expectClose([a.criticLoss, a.actorLoss], [b.criticLoss, b.actorLoss], 'losses after the move');
      expectSameWeights(kernel, reference, 'after the move and one update');
    } finally {
      kernel.dispose();
      reference.dispose();
    }
  });
});
