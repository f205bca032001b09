import { PPOConfig } from '@loomrl/algorithms';

/** A small, fast PPO on CartPole-v1 for runner tests (a few hundred ms per iteration). */
export function tinyPPO(options: { trainBatchSize?: number; numSgdIter?: number } = {}): PPOConfig {
  return new PPOConfig()
    .environment({ env: 'CartPole-v1' })
    .rollouts({ numRolloutWorkers: 0, numEnvsPerWorker: 4 })
    .training({
      trainBatchSize: options.trainBatchSize ?? 256,
      sgdMinibatchSize: 128,
      numSgdIter: options.numSgdIter ?? 2,
      lr: 1e-3,
      model: { fcnetHiddens: [16] },
    })
    .debugging({ seed: 1 });
}
