/**
 * The README's demo: PPO learns CartPole-v1 on the local worker, printing one line per
 * iteration, then evaluates the greedy policy over 20 episodes.
 *
 *   pnpm demo            (or: pnpm exec tsx examples/cartpole-ppo.ts)
 */
import { PPOConfig } from '@loomrl/algorithms';

const config = new PPOConfig()
  .environment({ env: 'CartPole-v1' })
  .rollouts({ numRolloutWorkers: 0, numEnvsPerWorker: 8 })
  .training({
    trainBatchSize: 1024,
    sgdMinibatchSize: 256,
    numSgdIter: 10,
    lr: 1e-3,
    lrSchedule: [
      [0, 1e-3],
      [100_000, 1e-4],
    ],
    gamma: 0.99,
    lambda: 0.95,
    clipParam: 0.2,
    vfClipParam: 10_000,
    vfLossCoeff: 0.5,
    entropyCoeff: 0.0,
    useKlLoss: false,
    model: { fcnetHiddens: [64, 64], fcnetActivation: 'tanh' },
  })
  .evaluation({ evaluationDuration: 20, evaluationConfig: { explore: false } })
  .debugging({ seed: Number(process.env.SEED ?? 1) });

const algo = config.build();
const started = performance.now();
const maxSteps = Number(process.env.MAX_STEPS ?? 150_000);
let evaluation = Number.NaN;
while (true) {
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
