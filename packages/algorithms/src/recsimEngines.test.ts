import { SlateQConfig, WolpertingerConfig } from '@loomrl/algorithms';
import type { BackendName, TrainResult } from '@loomrl/core';
import { describe, expect, it } from 'vitest';

const IEV = 'RecSim/InterestEvolution-v0';

/** Two iterations of `config` on `backend`: the last result and the weights the workers act with. */
async function run(config: SlateQConfig | WolpertingerConfig, backend: BackendName) {
  const algo = config.framework({ backend }).build();
  try {
    await algo.train();
    const result: TrainResult = await algo.train();
    return { result, weights: Object.values(algo.getModuleState()).flatMap((w) => Array.from(w as Float32Array)) };
  } finally {
    await algo.stop();
  }
}

const slateQ = (useLearnedChoiceModel: boolean) => () =>
  new SlateQConfig()
    .environment({ env: IEV, envConfig: { numCandidates: 5, slateSize: 2 } })
    .training({ fcnetHiddensPerCandidate: [16, 8], numStepsSampledBeforeLearningStarts: 100, trainBatchSize: 16, useLearnedChoiceModel })
    .reporting({ minSampleTimestepsPerIteration: 200, minTimeSPerIteration: null })
    .debugging({ seed: 5, logLevel: 'SILENT' });

const wolpertinger = () =>
  new WolpertingerConfig()
    .environment({ env: IEV, envConfig: { numCandidates: 6, slateSize: 1 } })
    .rollouts({ rolloutFragmentLength: 8 })
    .training({ actorHiddens: [16], criticHiddens: [16], k: 3, numStepsSampledBeforeLearningStarts: 100, trainingIntensity: 8 })
    .reporting({ minSampleTimestepsPerIteration: 200, minTimeSPerIteration: null })
    .debugging({ seed: 3, logLevel: 'SILENT' });

describe('SlateQ and Wolpertinger on either learner engine', () => {
  it.each([
    ['SlateQ, fixed click scores', slateQ(false), ['loss', 'meanQ', 'meanTarget', 'gradGnorm']],
    ['SlateQ, learned choice model', slateQ(true), ['loss', 'meanQ', 'choiceModelLoss']],
    ['Wolpertinger', wolpertinger, ['criticLoss', 'actorLoss', 'meanQ', 'meanTarget']],
  ] as const)(
    'trains the same on the kernels as on tfjs-wasm end to end: same stats and acting weights to 1e-4 (%s)',
    async (_name, make, keys) => {
      const kernels = await run(make(), 'loomrl');
      const wasm = await run(make(), 'wasm');
      expect([kernels.result.backend, wasm.result.backend]).toEqual(['loomrl', 'wasm']);
      expect(kernels.result.numEnvStepsTrained).toBeGreaterThan(0);
      expect(kernels.result.timestepsTotal).toBe(wasm.result.timestepsTotal);
      for (const key of keys) {
        const a = kernels.result.learnerStats[key] as number;
        const b = wasm.result.learnerStats[key] as number;
        expect(Math.abs(a - b), key).toBeLessThan(1e-4 * Math.max(1, Math.abs(b)));
      }
      expect(kernels.weights.length).toBe(wasm.weights.length);
      const drift = kernels.weights.reduce((m, w, i) => Math.max(m, Math.abs(w - (wasm.weights[i] as number))), 0);
      expect(drift).toBeLessThan(1e-4);
    },
    120_000,
  );
});
