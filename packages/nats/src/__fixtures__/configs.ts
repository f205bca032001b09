import { PPOConfig } from '@loomrl/algorithms';
import type { Algorithm } from '@loomrl/core';

/** A small PPO run on CartPole: 2 rollout workers × 4 envs, 256 steps per iteration. */
export function smallPPO(seed = 3): PPOConfig {
  return new PPOConfig()
    .environment({ env: 'CartPole-v1' })
    .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 4 })
    .training({ trainBatchSize: 256, sgdMinibatchSize: 64, numSgdIter: 2, model: { fcnetHiddens: [16] } })
    .debugging({ seed, logLevel: 'SILENT' });
}

/** `config` with its rollout workers (the last `numNatsWorkers`) as NATS workers of experiment `name`. */
export function overNats<C extends PPOConfig>(config: C, url: string, name: string, extra: Record<string, unknown> = {}): C {
  return config.rollouts({ remote: { transport: 'nats', servers: url, name, ...extra } });
}

/** What a run produced, to compare runs. */
export interface RunRecord {
  readonly rewards: number[];
  readonly steps: number[];
  readonly weights: number[];
}

/** Trains `iterations` iterations and records rewards, steps and the final weights; stops the algorithm. */
export async function record(algo: Algorithm, iterations: number): Promise<RunRecord> {
  const rewards: number[] = [];
  const steps: number[] = [];
  try {
    for (let i = 0; i < iterations; i++) {
      const result = await algo.train();
      rewards.push(result.episodeRewardMean);
      steps.push(result.numEnvStepsSampledThisIter);
    }
    return { rewards, steps, weights: Array.from(algo.getWeights()) };
  } finally {
    await algo.stop();
  }
}
