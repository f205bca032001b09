// Run by continuation.test.ts in fresh processes. `straight`: trains 3 iterations, saves a
// checkpoint, trains 2 more and prints them. `restore`: restores that checkpoint and trains the
// same 2 iterations. Both print the iterations' deterministic parts and the final weights as JSON.
import {
  CRRConfig,
  cartPoleDQN,
  cartPolePPO,
  MARWILConfig,
  pendulumSAC,
  restoreAlgorithm,
  SlateQConfig,
  WolpertingerConfig,
} from '@loomrl/algorithms';

const [mode, kind, dir, workersText] = process.argv.slice(2);
const workers = Number(workersText);

function config() {
  if (kind === 'slateq') {
    return new SlateQConfig()
      .environment({ env: 'RecSim/InterestEvolution-v0', envConfig: { numCandidates: 5, slateSize: 2 } })
      .rollouts({ numRolloutWorkers: workers, numEnvsPerWorker: 2, rolloutFragmentLength: 16 })
      .training({
        storeBufferInCheckpoints: true,
        fcnetHiddensPerCandidate: [8],
        numStepsSampledBeforeLearningStarts: 100,
        trainBatchSize: 16,
        targetNetworkUpdateFreq: 200,
      })
      .exploration({ explorationConfig: { warmupTimesteps: 100, epsilonTimesteps: 1000 } })
      .reporting({ minSampleTimestepsPerIteration: 128, minTimeSPerIteration: null })
      .debugging({ seed: 5, logLevel: 'SILENT' });
  }
  if (kind === 'wolpertinger') {
    return new WolpertingerConfig()
      .environment({ env: 'CartPole-v1' })
      .rollouts({ numRolloutWorkers: workers, numEnvsPerWorker: 2, rolloutFragmentLength: 8 })
      .training({
        storeBufferInCheckpoints: true,
        actorHiddens: [8],
        criticHiddens: [8],
        embeddingDim: 2,
        k: 2,
        numStepsSampledBeforeLearningStarts: 64,
        trainingIntensity: 4,
      })
      .reporting({ minSampleTimestepsPerIteration: 128, minTimeSPerIteration: null })
      .debugging({ seed: 5, logLevel: 'SILENT' });
  }
  if (kind === 'ppo') {
    return cartPolePPO({ seed: 5, numRolloutWorkers: workers, numEnvsPerWorker: 2 })
      .training({ trainBatchSize: 256, sgdMinibatchSize: 64, numSgdIter: 2, model: { fcnetHiddens: [16] } })
      .debugging({ logLevel: 'SILENT' });
  }
  if (kind === 'marwil') {
    return new MARWILConfig()
      .environment({ env: 'CartPole-v1' })
      .rollouts({ numRolloutWorkers: workers })
      .training({ trainBatchSize: 128, model: { fcnetHiddens: [16] } })
      .debugging({ seed: 5, logLevel: 'SILENT' });
  }
  if (kind === 'crr') {
    return new CRRConfig()
      .environment({ env: 'CartPole-v1' })
      .rollouts({ numRolloutWorkers: workers })
      .training({ trainBatchSize: 64, targetNetworkUpdateFreq: 128, actorHiddens: [16], criticHiddens: [16] })
      .reporting({ minTimeSPerIteration: null })
      .debugging({ seed: 5, logLevel: 'SILENT' });
  }
  if (kind === 'sac') {
    return pendulumSAC({ seed: 5, hiddens: [16, 16] })
      .training({ storeBufferInCheckpoints: true, numStepsSampledBeforeLearningStarts: 64, trainBatchSize: 32 })
      .reporting({ minSampleTimestepsPerIteration: 64 })
      .debugging({ logLevel: 'SILENT' });
  }
  return cartPoleDQN({ seed: 5, numRolloutWorkers: workers, numEnvsPerWorker: 2 })
    .rollouts({ rolloutFragmentLength: 16 })
    .training({
      storeBufferInCheckpoints: true,
      numStepsSampledBeforeLearningStarts: 200,
      trainingIntensity: 8,
      targetNetworkUpdateFreq: 100,
      replayBufferConfig: { type: 'MultiAgentPrioritizedReplayBuffer', capacity: 5000 },
      model: { fcnetHiddens: [16] },
    })
    .exploration({ explorationConfig: { epsilonTimesteps: 2000 } })
    .reporting({ minSampleTimestepsPerIteration: 256 })
    .debugging({ logLevel: 'SILENT' });
}

/** What must not depend on wall-clock time. */
function part(r) {
  const { timeThisIterS, timeTotalS, timers, samplerPerf, ...rest } = r;
  return rest;
}

const algo = mode === 'restore' ? await restoreAlgorithm(dir) : config().build();
if (mode === 'straight') {
  for (let i = 0; i < 3; i++) await algo.train();
  await algo.save(dir);
}
const results = [];
for (let i = 0; i < 2; i++) results.push(part(await algo.train()));
const weights = Object.fromEntries(Object.entries(algo.getModuleState()).map(([name, w]) => [name, Array.from(w)]));
await algo.stop();
process.stdout.write(`${JSON.stringify({ results, weights })}\n`);
