/**
 * Offline RL for a recommender, the tutorial's question: trained only from logs, which policy would
 * do best, and can we tell before shipping it? BC, MARWIL, CRR and offline DQN learn from
 * `lts_expert_20pct` (RecSim LTS sessions, 20 % from a learned policy, the rest random; written by
 * offline-generate.ts). Each is then estimated with importance sampling (IS) and weighted IS (WIS)
 * on the held-out random logs `lts_held_out` (uniform behaviour: ε-soft with ε = 1), and measured
 * on the real env (50 sessions, sampling its own action distribution), side by side.
 *
 *   pnpm build && pnpm exec tsx examples/offline-generate.ts && pnpm exec tsx examples/offline-recsys.ts
 *
 * The estimates are in dataset (bandit) mode (`opeSplitBatchByEpisode: false`): per-step IS of the
 * engagement, printed × 60 steps to compare with session returns. Per-session IS over 60 steps
 * with 10 actions has too much variance to be useful here. Per-step IS ignores that a policy also
 * changes which users' states it meets (LTS satisfaction drifts with what it recommends), so the
 * estimate and the on-env return can differ by more than their standard errors.
 * DQN's target distribution for OPE is softmax(Q) (RLlib's); its on-env return is ε-greedy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BCConfig, CRRConfig, DQNConfig, MARWILConfig, recordPolicy } from '@loomrl/algorithms';
import type { Algorithm, AlgorithmConfig } from '@loomrl/core';
import { dataset, LTS_ENV } from './offlineDatasets.js';

const STEPS = LTS_ENV.envConfig.timeBudget;
const evaluation = {
  evaluationDuration: 3600,
  evaluationDurationUnit: 'timesteps' as const,
  evaluationConfig: { input: dataset('lts_held_out') },
  offPolicyEstimationMethods: { is: { type: 'ImportanceSampling' as const }, wis: { type: 'WeightedImportanceSampling' as const } },
  opeSplitBatchByEpisode: false,
};
const offline = <C extends AlgorithmConfig>(config: C): C =>
  config
    .environment(LTS_ENV)
    .offlineData({ input: dataset('lts_expert_20pct') })
    .rollouts({ numRolloutWorkers: 0 })
    .evaluation(evaluation)
    .debugging({ seed: 1 });

const candidates: Array<[string, AlgorithmConfig, number]> = [
  ['BC', offline(new BCConfig().training({ lr: 1e-3, trainBatchSize: 2000, model: { fcnetHiddens: [64] } })), 30],
  ['MARWIL', offline(new MARWILConfig().training({ lr: 1e-3, gamma: 0.9, trainBatchSize: 2000, model: { fcnetHiddens: [64] } })), 30],
  [
    'CRR',
    offline(
      new CRRConfig()
        .training({
          trainBatchSize: 256,
          gamma: 0.9,
          actorHiddens: [64],
          criticHiddens: [64],
          weightType: 'exp',
          advantageType: 'expectation',
        })
        .reporting({ minTimeSPerIteration: null, minTrainTimestepsPerIteration: 50 * 256 }),
    ),
    10,
  ],
  [
    'DQN',
    offline(
      new DQNConfig()
        .training({ gamma: 0.9, lr: 1e-3, trainBatchSize: 64, numStepsSampledBeforeLearningStarts: 1000, model: { fcnetHiddens: [64] } })
        .exploration({ explorationConfig: { initialEpsilon: 0.1, finalEpsilon: 0.1, epsilonTimesteps: 1 } })
        .reporting({ minSampleTimestepsPerIteration: 1000 }),
    ),
    12,
  ],
];

const scratch = mkdtempSync(join(tmpdir(), 'loomrl-recsys-'));
console.log('policy  | IS (× 60)       | WIS (× 60)      | on env (50 sessions) | logged (× 60)');
console.log('--------|-----------------|-----------------|----------------------|--------------');
for (const [name, config, iterations] of candidates) {
  const algo = config.build() as Algorithm;
  for (let i = 0; i < iterations; i++) await algo.train();
  const ope = (await algo.evaluate()).offPolicyEstimator ?? {};
  const { episodes } = await recordPolicy(algo, { output: join(scratch, name), minEnvSteps: 50 * STEPS, explore: true, seed: 9 });
  await algo.stop();
  const returns = episodes.map((e) => e.episodeReturn);
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const se = Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1) / returns.length);
  const cell = (m: Record<string, number> | undefined) =>
    `${((m?.vTarget ?? Number.NaN) * STEPS).toFixed(1).padStart(6)} ± ${((m?.vGainSte ?? Number.NaN) * (m?.vBehavior ?? Number.NaN) * STEPS).toFixed(1).padEnd(5)}`;
  console.log(
    `${name.padEnd(7)} | ${cell(ope.is)} | ${cell(ope.wis)} | ${mean.toFixed(1).padStart(8)} ± ${se.toFixed(1).padEnd(9)} | ${((ope.is?.vBehavior ?? Number.NaN) * STEPS).toFixed(1)}`,
  );
}
rmSync(scratch, { recursive: true, force: true });
