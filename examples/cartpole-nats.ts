/**
 * PPO learns CartPole-v1 with its rollout workers on other machines, over NATS JetStream. The
 * config is the demo's; only `rollouts({ remote })` is new, and `train()` is unchanged.
 *
 *   # the learner's host (10.0.0.5): a NATS server with JetStream and file storage, then the learner
 *   nats-server -js -sd /var/lib/loomrl-nats &
 *   NATS_URL=nats://10.0.0.5:4222 WORKERS=2 pnpm exec tsx examples/cartpole-nats.ts
 *
 *   # each worker host (any number; a process manager or examples/nats/worker-deployment.yaml keeps them running)
 *   npx loomrl-worker --nats nats://10.0.0.5:4222 --name cartpole
 *
 * NATS_WORKERS=1 WORKERS=2 mixes one worker thread on the learner's host with one NATS worker.
 */
import { cartPolePPO } from '@loomrl/algorithms';

const workers = Number(process.env.WORKERS ?? 2);
const algo = cartPolePPO({ seed: Number(process.env.SEED ?? 1), numRolloutWorkers: workers, numEnvsPerWorker: 8 })
  .rollouts({
    remote: {
      transport: 'nats',
      servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      name: 'cartpole',
      numNatsWorkers: Number(process.env.NATS_WORKERS ?? workers),
    },
  })
  .faultTolerance({ recreateFailedWorkers: true, delayBetweenWorkerRestartsS: 0, workerHealthProbeTimeoutS: 10 })
  .build();
const started = performance.now();
for (;;) {
  const result = await algo.train();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `iter ${String(result.trainingIteration).padStart(3)}  steps ${String(result.timestepsTotal).padStart(7)}  ` +
      `reward ${result.episodeRewardMean.toFixed(1).padStart(6)}  workers ${result.numHealthyWorkers} ` +
      `(restarts ${result.numRemoteWorkerRestarts})  ${seconds}s`,
  );
  if (result.episodeRewardMean >= 475 || result.timestepsTotal >= 150_000) break;
}
console.log(`final evaluation (20 episodes, greedy): ${(await algo.evaluate()).episodeRewardMean.toFixed(1)}`);
await algo.stop();
