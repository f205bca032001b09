/**
 * Authoring a new RecSim environment with LoomRL's framework, the way RecSim users do: the
 * accept/reject catalogue. A catalogue of items is recommended one at a time (slate size 1) to users
 * of a few types; a user of type k accepts item j with probability W[k][j]. After an accept the user
 * leaves with probability `exitAfterAccept`, after a reject with `exitAfterReject`. Reward = 1 per
 * accept. We compare a random recommender with the optimal one (argmax_j W[k][j]) and with the
 * closed-form value p / (p·exitAfterAccept + (1 − p)·exitAfterReject).
 *
 * The env itself is examples/acceptRejectEnv.ts (user, documents, user model, registration).
 *
 * Run: `npx tsc -b packages/envs && pnpm exec tsx examples/recsim-custom-env.ts`.
 */
import { evaluatePolicy } from '@loomrl/envs';
import { argmaxW, config, ENV_ID, expected } from './acceptRejectEnv.js';

const episodes = 4000;
console.log(
  `Accept/reject catalogue: ${config.acceptProbs.length} user types × ${(config.acceptProbs[0] as number[]).length} items, ${episodes} episodes\n`,
);
console.log('recommender | mean accepts ± s.e. | closed form | mean length');
for (const [name, policy] of [
  ['random', 'random'],
  ['argmaxW', argmaxW],
] as const) {
  const r = await evaluatePolicy({ envId: ENV_ID, policy, episodes, seed: 1 });
  console.log(
    `${name.padEnd(11)} | ${r.meanReturn.toFixed(3).padStart(8)} ± ${r.stdErrReturn.toFixed(3).padEnd(8)} | ${expected[name].toFixed(3).padStart(11)} | ${r.meanLength.toFixed(2)}`,
  );
}
