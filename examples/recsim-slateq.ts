/**
 * SlateQ on RecSim's Interest Evolution (RLlib's tuned example: 10 candidates, slate 2, seed 0) with
 * LoomRL's tuned settings `interestEvolutionSlateQ` (the no-click value learned, one shared item
 * tower). Trains until a greedy evaluation of 200 or 120k env steps, then evaluates the greedy
 * policy on 200 users beside the random and greedy-click baselines (the same users for each).
 *
 *   pnpm build && pnpm exec tsx examples/recsim-slateq.ts      (env: SEED=0, WORKERS=0, STEPS=120000)
 */
import { interestEvolutionSlateQ } from '@loomrl/algorithms';
import { type EvaluationResult, evaluatePolicy, meanAndStandardError } from '@loomrl/envs';

const ENV_ID = 'RecSim/InterestEvolution-v0';
const envConfig = { numCandidates: 10, slateSize: 2, resampleDocuments: true, seed: 0 };
const seed = Number(process.env.SEED ?? 0);
const maxSteps = Number(process.env.STEPS ?? 120_000);

const algo = interestEvolutionSlateQ({ seed, numRolloutWorkers: Number(process.env.WORKERS ?? 0) }).build();
const started = performance.now();
let greedy = Number.NaN;
for (let steps = 0; steps < maxSteps && !(greedy >= 200); ) {
  const r = await algo.train();
  steps = r.timestepsTotal;
  greedy = steps >= 20_000 && steps % 10_000 === 0 ? (await algo.evaluate()).episodeRewardMean : Number.NaN;
  console.log(
    `iter ${String(r.trainingIteration).padStart(3)}  steps ${String(steps).padStart(6)}  return ${r.episodeRewardMean.toFixed(1)}  ` +
      `ε ${r.learnerStats.curEpsilon.toFixed(3)}  mean Q ${r.learnerStats.meanQ.toFixed(1)}` +
      `${Number.isNaN(greedy) ? '' : `  greedy ${greedy.toFixed(1)}`}  ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
}
const evaluation = { envId: ENV_ID, envConfig, episodes: 200, seed: 1000 + seed };
const slateq = await evaluatePolicy({ ...evaluation, policy: () => ({ act: (obs) => algo.computeSingleAction(obs, { explore: false }) }) });
await algo.stop();
const rows: [string, EvaluationResult][] = [
  ['SlateQ (greedy)', slateq],
  ['random', await evaluatePolicy({ ...evaluation, policy: 'random', numThreads: 2 })],
  ['greedy click', await evaluatePolicy({ ...evaluation, policy: 'greedyClick', numThreads: 2 })],
];
console.log(`\nInterest Evolution, 10 candidates, slate 2: 200 evaluation users each (seed ${evaluation.seed})`);
for (const [label, r] of rows) console.log(`${label.padEnd(16)} | ${r.meanReturn.toFixed(2).padStart(8)} ± ${r.stdErrReturn.toFixed(2)}`);
const click = rows[2]?.[1] as EvaluationResult;
const paired = meanAndStandardError(slateq.returns.map((r, i) => r - (click.returns[i] as number)));
console.log(`\nSlateQ − greedy click (paired over the same users): ${paired.mean.toFixed(2)} ± ${paired.stdErr.toFixed(2)}`);
