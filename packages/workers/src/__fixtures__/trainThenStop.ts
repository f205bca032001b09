// A user script: train one iteration on 2 worker threads, then stop(). It must exit on its own.
import { PPOConfig } from '@loomrl/algorithms';

const algo = new PPOConfig()
  .environment({ env: 'CartPole-v1' })
  .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 2 })
  .training({ trainBatchSize: 128, sgdMinibatchSize: 64, numSgdIter: 1, model: { fcnetHiddens: [8] } })
  .debugging({ seed: 1 })
  .build();
const result = await algo.train();
await algo.stop();
process.stdout.write(`healthy ${result.numHealthyWorkers}\n`);
