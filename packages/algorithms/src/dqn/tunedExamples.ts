import { DQNConfig } from './config.js';

/**
 * DQN on CartPole-v1, tuned for LoomRL: 64×64 trunk, no head layers, 3-step returns, uniform replay,
 * ε 1.0 → 0.02 over the first 10k steps, a hard target copy every 500 env steps, 8 envs stepped
 * 4 steps per round with 2 replay updates of 64 rows per round. Used by the example, the tests and the bench.
 */
export function cartPoleDQN(options: { seed?: number; numRolloutWorkers?: number; numEnvsPerWorker?: number } = {}): DQNConfig {
  const workers = options.numRolloutWorkers ?? 0;
  return new DQNConfig()
    .environment({ env: 'CartPole-v1' })
    .rollouts({ numRolloutWorkers: workers, numEnvsPerWorker: options.numEnvsPerWorker ?? (workers > 0 ? 4 : 8), rolloutFragmentLength: 4 })
    .training({
      lr: 1e-3,
      gamma: 0.99,
      trainBatchSize: 64,
      trainingIntensity: 16,
      nStep: 3,
      targetNetworkUpdateFreq: 500,
      numStepsSampledBeforeLearningStarts: 1000,
      replayBufferConfig: { type: 'MultiAgentReplayBuffer', capacity: 50_000 },
      doubleQ: true,
      dueling: true,
      hiddens: [],
      gradClip: 10,
      model: { fcnetHiddens: [64, 64], fcnetActivation: 'relu' },
    })
    .exploration({ explorationConfig: { initialEpsilon: 1.0, finalEpsilon: 0.02, epsilonTimesteps: 10_000 } })
    .evaluation({ evaluationDuration: 20, evaluationConfig: { explore: false } })
    .reporting({ minSampleTimestepsPerIteration: 1000 })
    .debugging({ seed: options.seed ?? 1 });
}
