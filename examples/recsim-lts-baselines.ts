/**
 * Reproduces the RLlib RecSim tutorial's baseline table on Long Term Satisfaction: 20 candidates,
 * slate size 2, user parameters sensitivity 0.058, time budget 120, choc/kale stddev 0.1, 100 episodes
 * per policy. Prints the tutorial's figures beside ours and whether each agrees within 3 standard
 * errors (of the difference). Run: `npx tsc -b packages/envs && pnpm exec tsx examples/recsim-lts-baselines.ts`.
 */
import { evaluatePolicy } from '@loomrl/envs';
import { TUTORIAL_USER as envConfig } from './recsimTutorial.js';

const tutorial = [
  { policy: 'kaleist', label: 'always kale', mean: 1085.6, stdErr: 1.01 },
  { policy: 'random', label: 'random', mean: 1156.79, stdErr: 1.12 },
  { policy: 'sweetest', label: 'always sweet', mean: 1162.94, stdErr: 1.08 },
];

const seed = Number(process.argv[2] ?? 0);
console.log(`RecSim LTS baselines: ${JSON.stringify(envConfig)}, 100 episodes each, evaluation seed ${seed}\n`);
console.log('policy        | tutorial          | LoomRL            | diff   | z     | within 3 s.e.');
console.log('--------------|-------------------|-------------------|--------|-------|--------------');
for (const row of tutorial) {
  const ours = await evaluatePolicy({ envId: 'RecSim/LongTermSatisfaction-v0', envConfig, policy: row.policy, episodes: 100, seed });
  const diff = ours.meanReturn - row.mean;
  const z = diff / Math.hypot(ours.stdErrReturn, row.stdErr);
  console.log(
    `${row.label.padEnd(13)} | ${row.mean.toFixed(2).padStart(8)} ± ${row.stdErr.toFixed(2).padEnd(6)} | ${ours.meanReturn.toFixed(2).padStart(8)} ± ${ours.stdErrReturn
      .toFixed(2)
      .padEnd(
        6,
      )} | ${diff.toFixed(2).padStart(6)} | ${z.toFixed(2).padStart(5)} | ${Math.abs(z) <= 3 ? 'yes' : 'NO'}  (mean length ${ours.meanLength})`,
  );
}
