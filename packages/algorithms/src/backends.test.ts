import type { TrainResult } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { cartPolePPO } from './index.js';

type Backend = 'cpu' | 'wasm';

function small(backend: Backend) {
  return cartPolePPO({ seed: 3 }).training({ numSgdIter: 1, trainBatchSize: 256, sgdMinibatchSize: 128 }).framework({ backend });
}

/** The learner's numbers of a result (no wall-clock times). */
function learned(r: TrainResult) {
  return { backend: r.backend, stats: r.learnerStats, reward: r.episodeRewardMean };
}

async function alone(backend: Backend, iterations: number) {
  const algo = small(backend).build();
  const results = [];
  for (let i = 0; i < iterations; i++) results.push(learned(await algo.train()));
  const weights = algo.getWeights();
  await algo.stop();
  return { results, weights };
}

describe('TensorFlow.js backends of several algorithms in one process', () => {
  it('trains a wasm algorithm after a cpu one, and both at once, each on its own backend with its solo numbers', async () => {
    const soloCpu = await alone('cpu', 2);
    const soloWasm = await alone('wasm', 2);
    expect(soloCpu.results[0]?.backend).toBe('cpu');
    expect(soloWasm.results[0]?.backend).toBe('wasm');

    const cpu = small('cpu').build();
    const wasm = small('wasm').build();
    try {
      const together = [];
      for (let i = 0; i < 2; i++) together.push(await Promise.all([cpu.train(), wasm.train()]));
      expect(together.map(([c]) => learned(c))).toEqual(soloCpu.results);
      expect(together.map(([, w]) => learned(w))).toEqual(soloWasm.results);
      expect(Buffer.from(cpu.getWeights().buffer).equals(Buffer.from(soloCpu.weights.buffer))).toBe(true);
      expect(Buffer.from(wasm.getWeights().buffer).equals(Buffer.from(soloWasm.weights.buffer))).toBe(true);
    } finally {
      await Promise.all([cpu.stop(), wasm.stop()]);
    }
  }, 120_000);
});
