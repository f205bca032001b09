/**
 * The offline tutorial's CRR cell on our own data: CRR learns Pendulum-v1 from `pendulum_expert`
 * (written by offline-generate.ts with `actions` already in [-1, 1]), never touching the env while
 * training; every iteration is evaluated on the real env by 1 evaluation worker, 20 episodes,
 * explore off. Runs through the experiment runner (Ray Tune's `tune.run("CRR", stop=…)`), stopping
 * at the tutorial's target `evaluation/episodeRewardMean` −300, then prints the best trial.
 *
 *   pnpm build && pnpm exec tsx examples/offline-generate.ts && pnpm exec tsx examples/offline-crr-pendulum.ts
 *
 * LoomRL measured (seed 1, 64×64 nets, 50 updates of 256 rows per iteration): −212 greedy after
 * 7 iterations in the learning test (packages/algorithms/src/crr/crr.slow.test.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CRRConfig } from '@loomrl/algorithms';
import { runExperiment } from '@loomrl/tune';
import { dataset } from './offlineDatasets.js';

const config = new CRRConfig()
  .environment({ env: 'Pendulum-v1' })
  .offlineData({ input: dataset('pendulum_expert'), actionsInInputNormalized: true })
  .rollouts({ numRolloutWorkers: 0 })
  .training({
    gamma: 0.99,
    trainBatchSize: 256,
    targetNetworkUpdateFreq: 1,
    tau: 5e-3,
    weightType: 'exp',
    actorHiddens: [64, 64],
    criticHiddens: [64, 64],
  })
  .reporting({ minTimeSPerIteration: null, minTrainTimestepsPerIteration: 50 * 256 })
  .evaluation({
    evaluationInterval: 1,
    evaluationNumWorkers: 1,
    evaluationDuration: 20,
    evaluationDurationUnit: 'episodes',
    evaluationConfig: { input: 'sampler', explore: false },
  })
  .debugging({ seed: 1 });

const analysis = await runExperiment({
  config,
  stop: { 'evaluation/episodeRewardMean': -300, trainingIteration: 40 },
  metric: 'evaluation/episodeRewardMean',
  mode: 'max',
  checkpointAtEnd: true,
  storagePath: process.env.RESULTS_DIR ?? mkdtempSync(join(tmpdir(), 'loomrl-crr-')),
  name: 'offline-crr-pendulum',
});
const best = analysis.getBestResult();
console.log(
  `last evaluation/episodeRewardMean ${Number(best?.metrics['evaluation/episodeRewardMean']).toFixed(1)} after ` +
    `${best?.metrics.trainingIteration} iterations (${best?.stopReason}); checkpoint ${analysis.bestCheckpoint}`,
);
