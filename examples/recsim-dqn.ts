/**
 * DQN with γ 0.99 on the RecSim bandit example's env (LTS, the tutorial's stronger-dissatisfaction
 * user, 20 candidates, slate 2, satisfaction observed, Discrete(20²) actions, flattened
 * observations): does long-term RL beat the greedy bandit there? (Measured: not with this budget —
 * greedy 1158.4 ± 1.2 against always-sweet 1164.1 ± 1.1 and LinUCB 1164.0.) Trains on 2 rollout workers, then
 * evaluates the greedy policy on 100 users beside the three baselines (the same users for each).
 *
 *   pnpm build && pnpm exec tsx examples/recsim-dqn.ts      (env: SEED=415, ITERS=60)
 */
import { DQNConfig } from '@loomrl/algorithms';
import { type EvaluationResult, evaluatePolicy, meanAndStandardError } from '@loomrl/envs';
import { evaluateBaselines, LTS_ENV_ID, TUTORIAL_USER } from './recsimTutorial.js';

const dqnEnvConfig = { ...TUTORIAL_USER, observeSatisfaction: true, flattenObservations: true, convertToDiscreteActionSpace: true };
const seed = Number(process.env.SEED ?? 415);
const iterations = Number(process.env.ITERS ?? 60);

const algo = new DQNConfig()
  .environment({ env: LTS_ENV_ID, envConfig: dqnEnvConfig })
  .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 4, rolloutFragmentLength: 16 })
  .training({
    gamma: 0.99,
    lr: 5e-4,
    trainBatchSize: 128,
    trainingIntensity: 4,
    nStep: 3,
    targetNetworkUpdateFreq: 2000,
    dueling: true,
    doubleQ: true,
    numStepsSampledBeforeLearningStarts: 2000,
    replayBufferConfig: { type: 'MultiAgentReplayBuffer', capacity: 100_000 },
    hiddens: [64],
    model: { fcnetHiddens: [64, 64], fcnetActivation: 'relu' },
  })
  .exploration({ explorationConfig: { initialEpsilon: 1, finalEpsilon: 0.02, epsilonTimesteps: 20_000 } })
  .reporting({ minSampleTimestepsPerIteration: 1000 })
  .debugging({ seed })
  .build();

const started = performance.now();
for (let i = 0; i < iterations; i++) {
  const r = await algo.train();
  if (r.trainingIteration % 5 === 0) {
    console.log(
      `iter ${String(r.trainingIteration).padStart(3)}  steps ${String(r.timestepsTotal).padStart(6)}  return ${r.episodeRewardMean.toFixed(1)}  ` +
        `ε ${r.learnerStats.curEpsilon?.toFixed(3)}  mean Q ${(r.learnerStats.meanQ ?? Number.NaN).toFixed(1)}  ${((performance.now() - started) / 1000).toFixed(1)}s`,
    );
  }
}
const evaluation = { envId: LTS_ENV_ID, episodes: 100, seed: 1000 + seed };
const dqn = await evaluatePolicy({
  ...evaluation,
  envConfig: dqnEnvConfig,
  policy: () => ({ act: (obs) => algo.computeSingleAction(obs, { explore: false }) }),
});
await algo.stop();
const rows: [string, EvaluationResult][] = [
  ['DQN γ 0.99 (greedy)', dqn],
  ...(await evaluateBaselines(evaluation.episodes, evaluation.seed)),
];
console.log(`\nLTS, tutorial user, 100 evaluation users each (seed ${evaluation.seed})`);
for (const [label, r] of rows) console.log(`${label.padEnd(20)} | ${r.meanReturn.toFixed(2).padStart(8)} ± ${r.stdErrReturn.toFixed(2)}`);
const sweet = rows[3]?.[1] as EvaluationResult;
const paired = meanAndStandardError(dqn.returns.map((r, i) => r - (sweet.returns[i] as number)));
console.log(`\nDQN − always sweet (paired over the same users): ${paired.mean.toFixed(2)} ± ${paired.stdErr.toFixed(2)}`);
