// Run by memory.test.ts in a fresh `node --expose-gc` process: builds, trains and stops PPO on 2
// learner threads several times, printing main-thread memory after each loop. Nothing else keeps the
// process alive, so it must exit by itself once the last algorithm stopped.
import { PPOConfig } from '@loomrl/algorithms';

const loops = Number(process.argv[2] ?? 5);
const report = [];
for (let i = 0; i < loops; i++) {
  const algo = new PPOConfig()
    .environment({ env: 'CartPole-v1' })
    .training({ trainBatchSize: 512, sgdMinibatchSize: 128, numSgdIter: 2, model: { fcnetHiddens: [64, 64] } })
    .framework({ backend: 'loomrl' })
    .resources({ numLearnerWorkers: 2 })
    .debugging({ seed: i, logLevel: 'SILENT' })
    .build();
  await algo.train();
  await algo.stop();
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  report.push({ external: m.external, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers });
}
process.stdout.write(`${JSON.stringify(report)}\n`);
