// Trains PPO on the user's env, registered in its own module, on worker threads.
// Usage: node trainUserEnv.mjs <envId> <module file> <numRolloutWorkers>. Prints one JSON line.
import { resolve } from 'node:path';
import { PPOConfig } from '@loomrl/algorithms';

const [env, moduleFile, workers] = process.argv.slice(2);
const algo = new PPOConfig()
  .environment({ env, envConfig: { length: 4 }, envModules: [resolve(moduleFile)] })
  .rollouts({ numRolloutWorkers: Number(workers), numEnvsPerWorker: 2 })
  .training({ trainBatchSize: 256, sgdMinibatchSize: 64, numSgdIter: 1, model: { fcnetHiddens: [8] } })
  .debugging({ seed: 3, logLevel: 'warn' })
  .build();
const result = await algo.train();
await algo.stop();
process.stdout.write(
  `${JSON.stringify({ timestepsTotal: result.timestepsTotal, episodesTotal: result.episodesTotal, numHealthyWorkers: result.numHealthyWorkers })}\n`,
);
