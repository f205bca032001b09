// Run by checkpoint.test.ts in a fresh process: trains PPO, saves a first checkpoint into `dir`
// (when it has none), trains again and saves over it, dying by SIGKILL right after file-system
// step `killAt` of that second save (-1 = never). Prints the steps of the second save as JSON.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PPOConfig } from '@loomrl/algorithms';
import { setCheckpointStepHook } from '../../../core/dist/algorithm/checkpointFiles.js';

const [dir, killAtText = '-1', firstKillAtText = '-1'] = process.argv.slice(2);
const killAt = Number(killAtText);
const firstKillAt = Number(firstKillAtText);
const algo = new PPOConfig()
  .environment({ env: 'CartPole-v1' })
  .training({ trainBatchSize: 64, sgdMinibatchSize: 64, numSgdIter: 1, model: { fcnetHiddens: [8] } })
  .debugging({ seed: 1, logLevel: 'SILENT' })
  .build();

function dieAt(target) {
  let index = 0;
  const steps = [];
  setCheckpointStepHook((step) => {
    steps.push(step);
    if (index++ === target) process.kill(process.pid, 'SIGKILL');
  });
  return steps;
}

await algo.train();
if (!existsSync(join(dir, 'loomrl_checkpoint.json'))) {
  dieAt(firstKillAt);
  await algo.save(dir);
}
await algo.train();
const steps = dieAt(killAt);
await algo.save(dir);
setCheckpointStepHook(null);
await algo.stop();
process.stdout.write(`${JSON.stringify(steps)}\n`);
