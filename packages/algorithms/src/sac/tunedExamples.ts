import { SACConfig } from './config.js';

/**
 * SAC on Pendulum-v1 after RLlib's tuned example (`pendulum-sac.yaml`: τ 0.005, n-step 1, one step
 * per sample, batch 256, target update every step, 256 steps before learning, lrs 3e-4,
 * prioritized replay) with smaller nets for 2 cores ([64, 64] instead of [256, 256]).
 */
export function pendulumSAC(options: { seed?: number; hiddens?: number[] } = {}): SACConfig {
  const net = { fcnetHiddens: options.hiddens ?? [64, 64], fcnetActivation: 'relu' as const };
  return new SACConfig()
    .environment({ env: 'Pendulum-v1' })
    .rollouts({ numRolloutWorkers: 0, numEnvsPerWorker: 1, rolloutFragmentLength: 1 })
    .training({
      gamma: 0.99,
      tau: 0.005,
      nStep: 1,
      trainBatchSize: 256,
      targetNetworkUpdateFreq: 1,
      numStepsSampledBeforeLearningStarts: 256,
      qModelConfig: net,
      policyModelConfig: net,
      optimization: { actorLearningRate: 3e-4, criticLearningRate: 3e-4, entropyLearningRate: 3e-4 },
      replayBufferConfig: { type: 'MultiAgentPrioritizedReplayBuffer', capacity: 100_000 },
    })
    .reporting({ minSampleTimestepsPerIteration: 1000, minTimeSPerIteration: null, metricsNumEpisodesForSmoothing: 5 })
    .evaluation({ evaluationDuration: 10, evaluationConfig: { explore: false } })
    .debugging({ seed: options.seed ?? 42 });
}
