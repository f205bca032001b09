// A runner process for the resume test: `node killableExperiment.mjs <storagePath> <resume>`.
// Four trials (seeds 1–4) of 6 iterations each, two at a time, a checkpoint every 2 iterations.
import { PPOConfig } from '@loomrl/algorithms';
import { gridSearch, runExperiment } from '@loomrl/tune';

const [storagePath, resume] = process.argv.slice(2);
const config = new PPOConfig()
  .environment({ env: 'CartPole-v1' })
  .rollouts({ numEnvsPerWorker: 4 })
  .training({ trainBatchSize: 512, sgdMinibatchSize: 128, numSgdIter: 3, model: { fcnetHiddens: [16] } });
const analysis = await runExperiment({
  config,
  paramSpace: { seed: gridSearch([1, 2, 3, 4]) },
  stop: { trainingIteration: 6 },
  checkpointFreq: 2,
  maxConcurrentTrials: 2,
  numCpus: 2,
  storagePath,
  name: 'killed',
  resume: resume === 'resume',
  verbose: 0,
});
process.stdout.write(`${JSON.stringify(analysis.trials.map((t) => t.status))}\n`);
