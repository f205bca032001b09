/**
 * Your own envs on worker threads: `customEnvs.ts` defines an env and a wrapper around a built-in
 * env; `envModules` names that file so each of the 2 rollout worker threads imports it (a `.ts`
 * file works when tsx is installed; a `.js` file always does).
 *
 *   pnpm exec tsx examples/custom-env.ts
 */
import { fileURLToPath } from 'node:url';
import { PPOConfig } from '@loomrl/algorithms';

const envModule = fileURLToPath(new URL('./customEnvs.ts', import.meta.url));

for (const [env, iterations] of [
  ['custom/Corridor-v0', 5],
  ['custom/RewardScaledCartPole-v0', 5],
] as const) {
  const algo = new PPOConfig()
    .environment({ env, envModules: [envModule] })
    .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 4 })
    .training({ trainBatchSize: 1024, sgdMinibatchSize: 256, numSgdIter: 6, lr: 1e-3, model: { fcnetHiddens: [32, 32] } })
    .debugging({ seed: 1 })
    .build();
  for (let i = 0; i < iterations; i++) {
    const result = await algo.train();
    console.log(
      `${env}  iter ${result.trainingIteration}  steps ${result.timestepsTotal}  reward ${result.episodeRewardMean.toFixed(2)}  ` +
        `healthy workers ${result.numHealthyWorkers}`,
    );
  }
  await algo.stop();
}
