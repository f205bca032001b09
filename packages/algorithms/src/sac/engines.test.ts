import { SACConfig } from '@loomrl/algorithms';
import type { BackendName, TrainResult } from '@loomrl/core';
import { describe, expect, it } from 'vitest';

const net = { fcnetHiddens: [16], fcnetActivation: 'relu' as const };

/** Two iterations of a small SAC on `env` with `backend`: the last result and the actor's weights. */
async function run(env: string, backend: BackendName): Promise<{ result: TrainResult; weights: Float32Array }> {
  const algo = new SACConfig()
    .environment({ env })
    .training({ numStepsSampledBeforeLearningStarts: 64, trainBatchSize: 32, qModelConfig: net, policyModelConfig: net })
    .reporting({ minSampleTimestepsPerIteration: 150, minTimeSPerIteration: null })
    .framework({ backend })
    .debugging({ seed: 3, logLevel: 'SILENT' })
    .build();
  try {
    await algo.train();
    const result = await algo.train();
    return { result, weights: algo.getWeights() };
  } finally {
    await algo.stop();
  }
}

describe('SAC on either learner engine', () => {
  it.each([
    ['Pendulum-v1 (squashed Gaussian)', 'Pendulum-v1'],
    ['CartPole-v1 (categorical)', 'CartPole-v1'],
  ])(
    'takes the same ~240 updates on the kernels as on tfjs-wasm: same stats and actor weights to 1e-4 (%s)',
    async (_name, env) => {
      const kernels = await run(env, 'loomrl');
      const wasm = await run(env, 'wasm');
      expect([kernels.result.backend, wasm.result.backend]).toEqual(['loomrl', 'wasm']);
      expect(kernels.result.timestepsTotal).toBe(wasm.result.timestepsTotal);
      for (const key of ['criticLoss', 'actorLoss', 'alphaValue', 'meanQ']) {
        const a = kernels.result.learnerStats[key] as number;
        const b = wasm.result.learnerStats[key] as number;
        expect(Math.abs(a - b), key).toBeLessThan(1e-4 * Math.max(1, Math.abs(b)));
      }
      const drift = kernels.weights.reduce((m, w, i) => Math.max(m, Math.abs(w - (wasm.weights[i] as number))), 0);
      expect(drift).toBeLessThan(1e-4);
    },
    120_000,
  );
});
