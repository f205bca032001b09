/**
 * The README's demo: PPO learns CartPole-v1 on the local worker, printing one line per iteration,
 * then evaluates the greedy policy over 20 episodes. The hyperparameters are the tuned example in
 * packages/algorithms/src/ppo/tunedExamples.ts (64×64 tanh nets, 8 envs, 1024-step batches).
 *
 *   pnpm demo            (or: pnpm exec tsx examples/cartpole-ppo.ts)
 *   SEED=2 WORKERS=2 pnpm exec tsx examples/cartpole-ppo.ts      (another seed, 2 worker threads)
 */
import { cartPolePPO } from '@loomrl/algorithms';

const algo = cartPolePPO({ seed: Number(process.env.SEED ?? 1), numRolloutWorkers: Number(process.env.WORKERS ?? 0) }).build();
const started = performance.now();
const maxSteps = 150_000;
let evaluation = Number.NaN;
for (;;) {
  const result = await algo.train();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `iter ${String(result.trainingIteration).padStart(3)}  steps ${String(result.timestepsTotal).padStart(7)}  ` +
      `reward ${result.episodeRewardMean.toFixed(1).padStart(6)}  ${seconds}s`,
  );
  if (result.episodeRewardMean >= 475 || result.timestepsTotal >= maxSteps) {
    evaluation = (await algo.evaluate()).episodeRewardMean;
    if (evaluation >= 475 || result.timestepsTotal >= maxSteps) break;
  }
}
console.log(`final evaluation (20 episodes, greedy): ${evaluation.toFixed(1)}  (learner backend: ${algo.backend})`);
await algo.stop();
