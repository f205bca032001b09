// Run by memory.test.ts in a fresh `node --expose-gc` process: trains PPO with tiny batches on
// 2 remote workers for many iterations and prints main-thread memory after warm-up and at the end.
import { PPOConfig } from '@loomrl/algorithms';

const iterations = Number(process.argv[2] ?? 1000);
const warmup = Number(process.argv[3] ?? 100);
const algo = new PPOConfig()
  .environment({ env: 'CartPole-v1' })
  .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 4 })
  .training({ trainBatchSize: 256, sgdMinibatchSize: 256, numSgdIter: 1, model: { fcnetHiddens: [8] } })
  .debugging({ seed: 1, logLevel: 'SILENT' })
  .build();

function measure() {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { external: m.external, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
}

let afterWarmup = null;
for (let i = 1; i <= iterations; i++) {
  await algo.train();
  if (i === warmup) afterWarmup = measure();
}
const end = measure();
await algo.stop();
process.stdout.write(`${JSON.stringify({ afterWarmup, end, iterations, warmup })}\n`);
