/**
 * Writes the offline tutorial's data sets with LoomRL's own policies (RLlib JSON lines, one
 * directory per set, under `OFFLINE_DATA` or ./offline_data):
 * - `pendulum_expert` (PPO trained to a greedy −200 or better, 50k steps sampled from it),
 *   `pendulum_beginner` (the same PPO after 3 iterations, ~4.5k steps);
 * - `cartpole_expert` (PPO at a greedy 475+, 20k steps), `cartpole_random` (its untrained policy),
 *   `cartpole_mixed` (10k of each);
 * - RecSim LTS logs (see offlineDatasets.ts): `lts_random` (uniform), `lts_greedy` (DQN with γ 0:
 *   the best immediate engagement, ε 0.1), `lts_learned` (DQN with γ 0.9, ε 0.1), `lts_held_out`
 *   (another 60 random sessions to estimate on), and `lts_expert_<p>pct` for p = 1, 5, 10, 20
 *   (p % of the rows from the learned policy, the rest random).
 * Every behaviour samples (explore on), so `action_prob` / `action_logp` are the true behaviour
 * probabilities the off-policy estimators need.
 *
 *   pnpm build && pnpm exec tsx examples/offline-generate.ts       (about 3 minutes on 2 cores)
 */
import { rmSync } from 'node:fs';
import { cartPolePPO, DQNConfig, pendulumPPO, recordPolicy } from '@loomrl/algorithms';
import type { Algorithm } from '@loomrl/core';
import { DATA_DIR, dataset, EXPERT_SHARES, LTS_ENV } from './offlineDatasets.js';

async function write(name: string, algo: Algorithm, minEnvSteps: number, timestep = 0, seed?: number): Promise<void> {
  const { episodes, envSteps } = await recordPolicy(algo, { output: dataset(name), minEnvSteps, explore: true, timestep, seed });
  const mean = episodes.reduce((s, e) => s + e.episodeReturn, 0) / episodes.length;
  console.log(
    `${name.padEnd(22)} ${String(envSteps).padStart(6)} steps  ${String(episodes.length).padStart(4)} episodes  mean return ${mean.toFixed(1)}`,
  );
}

/** Trains until `done(greedy)` (checked every 5 iterations) or `maxIterations`; returns the last timestep. */
async function trainUntil(algo: Algorithm, done: (greedy: number) => boolean, maxIterations: number): Promise<number> {
  let timestep = 0;
  for (let i = 1; i <= maxIterations; i++) {
    timestep = (await algo.train()).timestepsTotal;
    if (i % 5 === 0 && done((await algo.evaluate()).episodeRewardMean)) break;
  }
  return timestep;
}

rmSync(DATA_DIR, { recursive: true, force: true });
const started = performance.now();

const pendulum = pendulumPPO({ seed: 1 }).build();
for (let i = 0; i < 3; i++) await pendulum.train();
await write('pendulum_beginner', pendulum, 4_500);
await trainUntil(pendulum, (greedy) => greedy >= -200, 200);
await write('pendulum_expert', pendulum, 50_000);
await pendulum.stop();

const cartpole = cartPolePPO({ seed: 1 }).build();
await cartpole.ready();
await write('cartpole_random', cartpole, 20_000);
await write('cartpole_mixed', cartpole, 10_000);
await trainUntil(cartpole, (greedy) => greedy >= 475, 150);
await write('cartpole_expert', cartpole, 20_000);
await write('cartpole_mixed', cartpole, 10_000, 0, 7);
await cartpole.stop();

/** A DQN on the LTS logs' env acting with ε = `epsilon` after training (constant ε when not trained). */
const ltsDqn = (gamma: number, epsilon: number) =>
  new DQNConfig()
    .environment(LTS_ENV)
    .rollouts({ numRolloutWorkers: 0, numEnvsPerWorker: 4 })
    .training({ gamma, lr: 1e-3, trainBatchSize: 64, numStepsSampledBeforeLearningStarts: 1000, model: { fcnetHiddens: [64] } })
    .exploration({ explorationConfig: { initialEpsilon: 1, finalEpsilon: epsilon, epsilonTimesteps: 5_000 } })
    .reporting({ minSampleTimestepsPerIteration: 1000 })
    .debugging({ seed: 3 })
    .build();

const random = ltsDqn(0.9, 1);
await random.ready();
await write('lts_random', random, 12_000);
await write('lts_held_out', random, 3_600, 0, 11);
const greedy = ltsDqn(0, 0.1);
await write('lts_greedy', greedy, 12_000, await trainUntil(greedy, () => false, 15));
await greedy.stop();
const learned = ltsDqn(0.9, 0.1);
const learnedTimestep = await trainUntil(learned, () => false, 15);
await write('lts_learned', learned, 12_000, learnedTimestep);
for (const share of EXPERT_SHARES) {
  await write(`lts_expert_${share}pct`, learned, (12_000 * share) / 100, learnedTimestep, 100 + share);
  await write(`lts_expert_${share}pct`, random, (12_000 * (100 - share)) / 100, 0, 200 + share);
}
await learned.stop();
await random.stop();
console.log(`data sets in ${DATA_DIR} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
