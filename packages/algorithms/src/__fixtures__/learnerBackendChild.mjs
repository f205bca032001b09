// Trains one small PPO, DQN, SAC, MARWIL, CRR, SlateQ and Wolpertinger iteration each with framework({ backend }) from
// argv and prints the backends used and whether TensorFlow.js was loaded (its engine registers
// globalThis._tfengine).
import {
  CRRConfig,
  cartPoleDQN,
  cartPolePPO,
  interestEvolutionSlateQ,
  MARWILConfig,
  pendulumSAC,
  WolpertingerConfig,
} from '@loomrl/algorithms';

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
const marwil = new MARWILConfig()
  .environment({ env: 'CartPole-v1' })
  .training({ trainBatchSize: 64, model: { fcnetHiddens: [16] } })
  .debugging({ seed: 1 })
  .framework({ backend })
  .build();
const marwilResult = await marwil.train();
await marwil.stop();
const crr = new CRRConfig()
  .environment({ env: 'CartPole-v1' })
  .rollouts({ numRolloutWorkers: 0 })
  .training({ trainBatchSize: 64, actorHiddens: [16], criticHiddens: [16] })
  .reporting({ minTimeSPerIteration: null })
  .debugging({ seed: 1 })
  .framework({ backend })
  .build();
const crrResult = await crr.train();
await crr.stop();
const slateQ = interestEvolutionSlateQ({ seed: 1 })
  .training({ fcnetHiddensPerCandidate: [16], numStepsSampledBeforeLearningStarts: 64 })
  .reporting({ minSampleTimestepsPerIteration: 128 })
  .framework({ backend })
  .build();
const slateQResult = await slateQ.train();
await slateQ.stop();
const wolpertinger = new WolpertingerConfig()
  .environment({ env: 'RecSim/InterestEvolution-v0', envConfig: { numCandidates: 6, slateSize: 1 } })
  .training({ actorHiddens: [16], criticHiddens: [16], numStepsSampledBeforeLearningStarts: 32 })
  .reporting({ minSampleTimestepsPerIteration: 64, minTimeSPerIteration: null })
  .debugging({ seed: 1 })
  .framework({ backend })
  .build();
const wolpertingerResult = await wolpertinger.train();
await wolpertinger.stop();
const out = {
  backends: [
    ppoResult.backend,
    dqnResult.backend,
    sacResult.backend,
    marwilResult.backend,
    crrResult.backend,
    slateQResult.backend,
    wolpertingerResult.backend,
  ],
  tfjsLoaded: '_tfengine' in globalThis,
  finite:
    Number.isFinite(ppoResult.learnerStats.totalLoss) &&
    Number.isFinite(dqnResult.learnerStats.loss) &&
    Number.isFinite(sacResult.learnerStats.criticLoss) &&
    Number.isFinite(marwilResult.learnerStats.totalLoss) &&
    Number.isFinite(crrResult.learnerStats.lossCritic) &&
    Number.isFinite(slateQResult.learnerStats.loss) &&
    Number.isFinite(wolpertingerResult.learnerStats.criticLoss),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
