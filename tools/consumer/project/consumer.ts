// A user's strict TypeScript file. The consumer test type-checks it with `tsc --noEmit` twice:
// under NodeNext (tsconfig.json) and under moduleResolution "node" (tsconfig.node10.json). It uses
// the API as the READMEs show; it is never run.
import { fileURLToPath } from 'node:url';
import { type DQN, DQNConfig, type PPO, PPOConfig, restoreAlgorithm } from '@loomrl/algorithms';
import {
  type Algorithm,
  Box,
  CheckpointError,
  ConfigError,
  Discrete,
  type Env,
  LoomError,
  type LoomErrorCode,
  type ResetResult,
  registerEnv,
  type StepResult,
  type TrainResult,
} from '@loomrl/core';
import { selectBackend } from '@loomrl/core/tf';
import { checkEnv, type EvaluationResult, evaluatePolicy, type RecSimPolicyFactory, registerRecSimPolicy } from '@loomrl/envs';
import { WorkerError } from '@loomrl/workers';

/** A user's env: guess the side of a coin. */
class Coin implements Env<number, number> {
  readonly observationSpace = new Discrete(2);
  readonly actionSpace = new Discrete(2);
  private side = 0;
  reset(): ResetResult<number> {
    this.side = 1 - this.side;
    return { obs: 0, info: {} };
  }
  step(action: number): StepResult<number> {
    return { obs: 0, reward: action === this.side ? 1 : 0, terminated: true, truncated: false, info: {} };
  }
}

registerEnv('consumer/Coin-v0', () => new Coin(), { maxEpisodeSteps: 1 });

const firstCandidate: RecSimPolicyFactory = () => ({ act: () => Int32Array.of(0) });
registerRecSimPolicy('consumerTsFirst', firstCandidate);

export async function trainAndRestore(): Promise<number> {
  checkEnv(new Coin());
  const algo: PPO = new PPOConfig()
    .environment({ env: 'consumer/Coin-v0', envModules: [fileURLToPath(new URL('./corridorJs.mjs', import.meta.url))] })
    .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 4 })
    .training({ trainBatchSize: 256, lr: 1e-3, model: { fcnetHiddens: [8] } })
    .debugging({ seed: 1 })
    .build();
  const result: TrainResult = await algo.train();
  const reward: number = result.episodeRewardMean;
  await algo.save('./checkpoint');
  await algo.stop();
  const restored: Algorithm = await restoreAlgorithm('./checkpoint');
  const weights: Float32Array = restored.getWeights();
  await restored.stop();
  const backend: string = await selectBackend('cpu');
  const evaluation: EvaluationResult = await evaluatePolicy({
    envId: 'RecSim/LongTermSatisfaction-v0',
    policy: 'consumerTsFirst',
    episodes: 10,
    numThreads: 2,
    policyModules: [fileURLToPath(new URL('./typedPolicies.ts', import.meta.url))],
  });
  return reward + weights.length + backend.length + evaluation.meanReturn;
}

export function describeError(error: unknown): string {
  if (error instanceof WorkerError) return `worker ${error.failure.workerIndex}: ${error.failure.reason}`;
  if (error instanceof ConfigError || error instanceof CheckpointError) return error.message;
  if (error instanceof LoomError) return error.code;
  return String(error);
}

// ─── Misuse that must not type-check ───────────────────────────────────────────────────────────
// Each statement below is preceded by `// @ts-expect-error`: tsc fails ("Unused '@ts-expect-error'
// directive") as soon as one of them type-checks, so the types keep rejecting these mistakes.
export function misuse(algo: PPO): void {
  // @ts-expect-error numRolloutWorkers is a number
  new PPOConfig().rollouts({ numRolloutWorkers: 'two' });
  // @ts-expect-error a misspelt option is not a training field
  new PPOConfig().training({ lamda: 0.95 });
  // @ts-expect-error restoreAlgorithm takes the checkpoint directory
  void restoreAlgorithm({ dir: './checkpoint' });
  // @ts-expect-error evaluatePolicy needs the number of episodes
  void evaluatePolicy({ envId: 'RecSim/LongTermSatisfaction-v0', policy: 'random' });
  // @ts-expect-error setWeights takes one flat Float32Array
  algo.setWeights([0.1, 0.2]);

  // A LoomError's code is a union: a misspelt code does not compile.
  // @ts-expect-error 'CONFIG_INVALD' is not a LoomErrorCode
  const typo: LoomErrorCode = 'CONFIG_INVALD';
  void typo;
  // @ts-expect-error an integer action space is not a Box action vector
  const wrong: Float32Array = algo.computeDiscreteAction(Float32Array.of(0, 0, 0, 0));
  void wrong;
}

/** A user's env over a Box: `Env<Float32Array, number>` type-checks with `new Box(...)` (float32 by default). */
class Walk implements Env<Float32Array, number> {
  readonly observationSpace = new Box({ low: -1, high: 1, shape: [2] });
  readonly actionSpace = new Discrete(2);
  reset(): ResetResult<Float32Array> {
    return { obs: new Float32Array(2), info: {} };
  }
  step(action: number): StepResult<Float32Array> {
    return { obs: Float32Array.of(action, 0), reward: 0, terminated: action === 1, truncated: false, info: {} };
  }
}

/** Typed results and actions a user relies on. */
export async function typedUses(ppo: PPO, dqn: DQN): Promise<number> {
  registerEnv('consumer/Walk-v0', () => new Walk());
  const float64 = new Box({ low: 0, high: 1, shape: [1], dtype: 'float64' });
  const sample: Float64Array = float64.sample(new (await import('@loomrl/core')).Rng(1));
  const ppoStats = (await ppo.train()).learnerStats;
  const loss: number = ppoStats.totalLoss + ppoStats.kl + ppoStats.vfExplainedVar;
  // @ts-expect-error PPO's learner stats have no meanQ (that is DQN's)
  void ppoStats.meanQ;
  const dqnStats = (await dqn.train()).learnerStats;
  const q: number = dqnStats.meanQ + dqnStats.curEpsilon;
  const action: number = ppo.computeDiscreteAction(Float32Array.of(0, 0, 0, 0), { explore: false });
  const built: DQN = new DQNConfig().environment({ env: 'consumer/Walk-v0' }).build();
  await built.stop();
  return loss + q + action + (sample[0] ?? 0);
}
