// A user's training script (plain ESM): PPO on CartPole-v1 for a few iterations, then a checkpoint.
// Usage: node train.mjs <numRolloutWorkers> <checkpointDir> [<natsUrl>]; with a NATS server URL the
// workers are loomrl-worker processes joined to experiment "consumer". Prints one JSON line.
import { PPOConfig } from '@loomrl/algorithms';

const [workers, checkpointDir, natsUrl] = process.argv.slice(2);
const config = new PPOConfig()
  .environment({ env: 'CartPole-v1' })
  .rollouts({ numRolloutWorkers: Number(workers), numEnvsPerWorker: 4 })
  .training({ trainBatchSize: 512, sgdMinibatchSize: 128, numSgdIter: 2, lr: 1e-3, model: { fcnetHiddens: [16, 16] } })
  .debugging({ seed: 7, logLevel: 'warn' });
if (natsUrl !== undefined) config.rollouts({ remote: { transport: 'nats', servers: natsUrl, name: 'consumer' } });
const algo = config.build();
let result;
for (let i = 0; i < 2; i++) result = await algo.train();
const weights = algo.getWeights();
await algo.save(checkpointDir);
await algo.stop();
process.stdout.write(
  `${JSON.stringify({
    trainingIteration: result.trainingIteration,
    timestepsTotal: result.timestepsTotal,
    numHealthyWorkers: result.numHealthyWorkers,
    weights: Array.from(weights),
  })}\n`,
);
