// Trains one small PPO, one small DQN and one small SAC iteration with framework({ backend }) from
// argv and prints the backends used and whether TensorFlow.js was loaded (its engine registers
// globalThis._tfengine).
import { cartPoleDQN, cartPolePPO, pendulumSAC } from '@loomrl/algorithms';

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
const sac = pendulumSAC({ seed: 1, hiddens: [16, 16] })
  .training({ numStepsSampledBeforeLearningStarts: 32, trainBatchSize: 32 })
  .reporting({ minSampleTimestepsPerIteration: 64 })
  .framework({ backend })
  .build();
const sacResult = await sac.train();
await sac.stop();
const out = {
  backends: [ppoResult.backend, dqnResult.backend, sacResult.backend],
  tfjsLoaded: '_tfengine' in globalThis,
  finite:
    Number.isFinite(ppoResult.learnerStats.totalLoss) &&
    Number.isFinite(dqnResult.learnerStats.loss) &&
    Number.isFinite(sacResult.learnerStats.criticLoss),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
