// Trains one small PPO and one small DQN iteration with framework({ backend }) from argv and prints
// the backends used and whether TensorFlow.js was loaded (its engine registers globalThis._tfengine).
import { cartPoleDQN, cartPolePPO } from '@loomrl/algorithms';

const backend = process.argv[2] ?? 'auto';
const ppo = cartPolePPO({ seed: 1 }).training({ numSgdIter: 1 }).framework({ backend }).build();
const ppoResult = await ppo.train();
await ppo.stop();
const dqn = cartPoleDQN({ seed: 1 })
  .training({ numStepsSampledBeforeLearningStarts: 32, model: { fcnetHiddens: [16, 16] } })
  .reporting({ minSampleTimestepsPerIteration: 256 })
  .framework({ backend })
  .build();
const dqnResult = await dqn.train();
await dqn.stop();
const out = {
  backends: [ppoResult.backend, dqnResult.backend],
  tfjsLoaded: '_tfengine' in globalThis,
  finite: Number.isFinite(ppoResult.learnerStats.totalLoss) && Number.isFinite(dqnResult.learnerStats.loss),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
