/**
 * A Wolpertinger-style actor-critic over learned item embeddings (`WolpertingerConfig`; Dulac-Arnold
 * et al. 2015 as the RecSim catalogue notebook trains it) on the accept/reject catalogue of
 * examples/acceptRejectEnv.ts, compared with the optimal recommender (argmax_j W[type][j]) and a
 * random one on the same evaluation users.
 *
 *   pnpm build && pnpm exec tsx examples/recsim-wolpertinger.ts   (env: SEED=0, STEPS=8000, K=2, EPISODES=2000)
 */
import { WolpertingerConfig } from '@loomrl/algorithms';
import { evaluatePolicy } from '@loomrl/envs';
import { argmaxW, config, ENV_ID, expected } from './acceptRejectEnv.js';

const seed = Number(process.env.SEED ?? 0);
const maxSteps = Number(process.env.STEPS ?? 8000);
const episodes = Number(process.env.EPISODES ?? 2000);
const k = Number(process.env.K ?? 2);

const algo = new WolpertingerConfig()
  .environment({ env: ENV_ID })
  .rollouts({ rolloutFragmentLength: 8 })
  .training({ k, tau: 0.01, trainingIntensity: 32, numStepsSampledBeforeLearningStarts: 500 })
  .evaluation({ evaluationDuration: 200, evaluationConfig: { explore: false } })
  .debugging({ seed })
  .build();
const started = performance.now();
for (let steps = 0; steps < maxSteps; ) {
  const r = await algo.train();
  steps = r.timestepsTotal;
  const greedy = r.trainingIteration % 5 === 0 ? (await algo.evaluate()).episodeRewardMean : Number.NaN;
  console.log(
    `iter ${String(r.trainingIteration).padStart(3)}  steps ${String(steps).padStart(6)}  return ${r.episodeRewardMean.toFixed(2)}  ` +
      `critic loss ${r.learnerStats.criticLoss.toFixed(3)}  mean Q ${r.learnerStats.meanQ.toFixed(2)}` +
      `${Number.isNaN(greedy) ? '' : `  greedy ${greedy.toFixed(2)}`}  ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
}
const evaluation = { envId: ENV_ID, episodes, seed: 1000 + seed };
const learned = await evaluatePolicy({
  ...evaluation,
  policy: () => ({ act: (obs) => algo.computeSingleAction(obs, { explore: false }) }),
});
await algo.stop();
const optimal = await evaluatePolicy({ ...evaluation, policy: argmaxW });
const random = await evaluatePolicy({ ...evaluation, policy: 'random' });
console.log(
  `\nAccept/reject catalogue (${config.acceptProbs.length} user types × ${(config.acceptProbs[0] as number[]).length} items, k = ${k}): ${episodes} evaluation episodes each (seed ${evaluation.seed})`,
);
console.log('recommender   | mean accepts ± s.e. | closed form');
for (const [label, r, closed] of [
  ['Wolpertinger', learned, Number.NaN],
  ['argmaxW', optimal, expected.argmaxW],
  ['random', random, expected.random],
] as const) {
  console.log(
    `${label.padEnd(13)} | ${r.meanReturn.toFixed(3).padStart(8)} ± ${r.stdErrReturn.toFixed(3).padEnd(8)} | ${Number.isNaN(closed) ? '' : closed.toFixed(3)}`,
  );
}
console.log(`\nWolpertinger / optimal: ${((100 * learned.meanReturn) / optimal.meanReturn).toFixed(1)} %`);
