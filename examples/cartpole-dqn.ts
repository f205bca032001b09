/**
 * DQN on CartPole-v1 with the tuned example `cartPoleDQN` (see packages/algorithms/src/dqn/tunedExamples.ts):
 * prints one line per iteration and evaluates the greedy policy (20 episodes) whenever the
 * training mean is high, stopping at a greedy 475 or 100k env steps.
 *
 *   pnpm build && pnpm exec tsx examples/cartpole-dqn.ts      (env: SEED=1, WORKERS=0)
 */
import { cartPoleDQN } from '@loomrl/algorithms';

const algo = cartPoleDQN({ seed: Number(process.env.SEED ?? 1), numRolloutWorkers: Number(process.env.WORKERS ?? 0) }).build();
const started = performance.now();
let greedy = Number.NaN;
for (let steps = 0; steps < 100_000 && !(greedy >= 475); ) {
  const r = await algo.train();
  steps = r.timestepsTotal;
  greedy = r.episodeRewardMean >= 150 ? (await algo.evaluate()).episodeRewardMean : Number.NaN;
  console.log(
    `iter ${String(r.trainingIteration).padStart(3)}  steps ${String(steps).padStart(6)}  reward ${r.episodeRewardMean.toFixed(1).padStart(6)}  ` +
      `ε ${r.learnerStats.curEpsilon?.toFixed(3)}  mean Q ${(r.learnerStats.meanQ ?? Number.NaN).toFixed(1).padStart(5)}` +
      `${Number.isNaN(greedy) ? '' : `  greedy ${greedy.toFixed(1)}`}  ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
}
console.log(
  `\nfinal greedy evaluation (20 episodes): ${Number.isNaN(greedy) ? 'not reached' : greedy.toFixed(1)}  (learner backend: ${algo.backend})`,
);
await algo.stop();
