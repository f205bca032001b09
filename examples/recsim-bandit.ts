/**
 * LinUCB on RecSim Long Term Satisfaction, the RLlib tutorial's cell: the tutorial's
 * stronger-dissatisfaction user (20 candidates, slate 2, sensitivity 0.058, time budget 120,
 * choc/kale stddev 0.1, satisfaction observed), Discrete(20²) actions and the bandit observation
 * `{ item: [20, 1] }` (each candidate's kaleness), scored by one ridge regression over item
 * features (RLlib's parametric LinUCB). 2 rollout workers × 4 envs, 2 evaluation workers, seed 415,
 * 100 iterations; the training return is printed beside the three baselines (100 episodes each).
 *
 *   pnpm build && pnpm exec tsx examples/recsim-bandit.ts      (env: SEED=415, ITERS=100)
 */
import { BanditLinUCBConfig } from '@loomrl/algorithms';
import { evaluateBaselines, LTS_ENV_ID, TUTORIAL_USER } from './recsimTutorial.js';

const banditEnvConfig = { ...TUTORIAL_USER, observeSatisfaction: true, convertToDiscreteActionSpace: true, wrapForBandits: true };
const seed = Number(process.env.SEED ?? 415);
const iterations = Number(process.env.ITERS ?? 100);

const algo = new BanditLinUCBConfig()
  .environment({ env: LTS_ENV_ID, envConfig: banditEnvConfig })
  .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 4 })
  .evaluation({ evaluationNumWorkers: 2, evaluationInterval: 25, evaluationDuration: 20 })
  .debugging({ seed })
  .build();

const started = performance.now();
let last = await algo.train();
for (let i = 1; i < iterations; i++) {
  last = await algo.train();
  if (last.trainingIteration % 10 === 0 || last.evaluation !== undefined) {
    const evaluation =
      last.evaluation === undefined ? '' : `  evaluation (greedy, 20 episodes) ${last.evaluation.episodeRewardMean.toFixed(1)}`;
    console.log(
      `iter ${String(last.trainingIteration).padStart(3)}  steps ${String(last.timestepsTotal).padStart(6)}  episodes ${String(last.episodesTotal).padStart(4)}  ` +
        `return ${last.episodeRewardMean.toFixed(1)}${evaluation}  ${((performance.now() - started) / 1000).toFixed(1)}s`,
    );
  }
}
await algo.stop();

const rows = await evaluateBaselines(100, 1000 + seed);
console.log(`\nLTS, tutorial user, LinUCB after ${last.timestepsTotal} env steps (${last.episodesTotal} episodes)`);
console.log('policy                         | mean return');
console.log('-------------------------------|------------------');
console.log(`LinUCB (training, last 100)     | ${last.episodeRewardMean.toFixed(2)}`);
for (const [label, r] of rows) console.log(`${label.padEnd(31)}| ${r.meanReturn.toFixed(2)} ± ${r.stdErrReturn.toFixed(2)}`);
