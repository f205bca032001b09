/**
 * Issue 15 benchmark: Wolpertinger's learner updates/s (the defaults' nets and batches) on LoomRL's
 * WebAssembly kernels (`'loomrl'`) and on TensorFlow.js's wasm backend, in the same run, on
 * RecSim Interest Evolution with one-item slates (20 candidates, local worker, seed 0): only
 * iterations that learn count, and the learning phase's time includes the replay sampling.
 */
import { loadavg } from 'node:os';
import { WolpertingerConfig } from '@loomrl/algorithms';

async function throughput(envSteps: number, backend: 'loomrl' | 'wasm'): Promise<Record<string, number>> {
  const algo = new WolpertingerConfig()
    .environment({ env: 'RecSim/InterestEvolution-v0', envConfig: { numCandidates: 20, slateSize: 1, seed: 0 } })
    .rollouts({ rolloutFragmentLength: 8 })
    .training({ trainingIntensity: 32, numStepsSampledBeforeLearningStarts: 500 })
    .reporting({ minSampleTimestepsPerIteration: 500, minTimeSPerIteration: null })
    .framework({ backend })
    .debugging({ seed: 0, logLevel: 'SILENT' })
    .build();
  const batchSize = algo.config.settings.trainBatchSize;
  let learnMs = 0;
  let trainedRows = 0;
  try {
    for (let steps = 0; steps < envSteps; ) {
      const r = await algo.train();
      steps = r.timestepsTotal;
      if (r.numEnvStepsTrainedThisIter === 0) continue;
      learnMs += r.timers.learnTimeMs;
      trainedRows += r.numEnvStepsTrainedThisIter;
    }
  } finally {
    await algo.stop();
  }
  const updates = trainedRows / batchSize;
  return { learnerUpdatesPerSecond: Math.round(updates / (learnMs / 1000)), updatesMeasured: updates, trainBatchSize: batchSize };
}

export default async function run(): Promise<Record<string, unknown>> {
  const loadAverageAtStart = loadavg()[0];
  const loomrl = await throughput(3000, 'loomrl');
  const tfjsWasm = await throughput(3000, 'wasm');
  return {
    interestEvolution20CandidatesSlate1: {
      loomrl,
      tfjsWasm,
      learnerSpeedup: Number(((loomrl.learnerUpdatesPerSecond as number) / (tfjsWasm.learnerUpdatesPerSecond as number)).toFixed(2)),
    },
    loadAverageAtStart,
    loadAverageAtEnd: loadavg()[0],
  };
}
