/**
 * Issue 9 benchmark: the bandit math alone (no algorithm loop, no env), single thread.
 * - LinUCB / LinTS "decisions per second": one selection for one context plus the update from its
 *   reward, the local-worker pattern of RLlib's bandits (train batch 1), on LinearDiscreteEnv-sized
 *   problems (d = 8, 4 arms) and on RecSim-bandit-sized ones: 20 arms × 20 features per-arm, and the
 *   parametric model over 20 candidates × 20 features (Interest Evolution's item vectors) and
 *   20 candidates × 1 feature (the tutorial's Long Term Satisfaction).
 * - Batched selection rows/s (32 rows per call, a vector of envs) and update rows/s (32 rows per call).
 * - LinearDiscreteEnv steps/s alone, so the math's share of an env step shows as a ratio.
 * Contexts are precomputed N(0, 1/9) values cycled through 1024 rows.
 * - The whole algorithm loop (`BanditLinUCBConfig().build().train()`): env steps/s on
 *   LinearDiscrete-v0 (local worker) and on the RecSim bandit example's config (LTS, tutorial user,
 *   20 candidates, slate 2, bandit observation; local and 2 workers × 4 envs).
 */
import { BanditLinUCBConfig } from '@loomrl/algorithms';
import { LinearArms, ParametricLinearArms, Rng } from '@loomrl/core';
import { LinearDiscreteEnv } from '@loomrl/envs';

const SECONDS = 1.5;
const POOL = 1024;
const BATCH = 32;

/** Calls `body(i)` for i = 0, 1, … for `seconds` after a warm-up and returns calls per second. */
function rate(body: (i: number) => void, seconds = SECONDS): number {
  const run = (budgetMs: number): number => {
    let calls = 0;
    const end = performance.now() + budgetMs;
    while (performance.now() < end) for (let k = 0; k < 100; k++) body(calls++);
    return calls;
  };
  run(300);
  const start = performance.now();
  const calls = run(seconds * 1000);
  return calls / ((performance.now() - start) / 1000);
}

function contexts(rows: number, width: number, seed: string): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: rows * width }, () => rng.normal() / 3);
}

/** Per-arm model figures: one-row decisions (select + update) for UCB and TS, batched selection and update. */
function perArm(numArms: number, d: number) {
  const pool = contexts(POOL, d, `bench/bandits/${numArms}x${d}`);
  const rewards = contexts(POOL, 1, 'bench/bandits/rewards');
  const rng = new Rng('bench/bandits/ts');
  const one = new Float32Array(1);
  const decide = (strategy: 'ucb' | 'ts'): number => {
    const arms = new LinearArms({ numArms, featureDim: d });
    const arm = [0];
    const reward = [0];
    return rate((i) => {
      const row = pool.subarray((i % POOL) * d, (i % POOL) * d + d);
      if (strategy === 'ucb') arms.selectUcb(row, 1, one);
      else arms.selectThompson(row, 1, rng, one);
      arm[0] = one[0] as number;
      reward[0] = rewards[i % POOL] as number;
      arms.update(row, arm, reward);
    });
  };
  const trained = new LinearArms({ numArms, featureDim: d });
  const batchArms = Float32Array.from({ length: POOL }, (_, i) => i % numArms);
  trained.update(pool, batchArms, rewards);
  const out = new Float32Array(BATCH);
  const batches = POOL / BATCH;
  const batch = (i: number): Float32Array => pool.subarray((i % batches) * BATCH * d, ((i % batches) + 1) * BATCH * d);
  const updater = new LinearArms({ numArms, featureDim: d });
  return {
    ucbDecisionsPerSecond: Math.round(decide('ucb')),
    thompsonDecisionsPerSecond: Math.round(decide('ts')),
    ucbSelectRowsPerSecondBatch32: Math.round(BATCH * rate((i) => trained.selectUcb(batch(i), BATCH, out))),
    thompsonSelectRowsPerSecondBatch32: Math.round(BATCH * rate((i) => trained.selectThompson(batch(i), BATCH, rng, out))),
    updateRowsPerSecondBatch32: Math.round(
      BATCH *
        rate((i) => {
          const k = i % batches;
          updater.update(batch(i), batchArms.subarray(k * BATCH, (k + 1) * BATCH), rewards.subarray(k * BATCH, (k + 1) * BATCH));
        }),
    ),
  };
}

/** Parametric model figures: one-row decisions over `numCandidates` candidates of `e` features. */
function parametric(numCandidates: number, e: number): Record<string, number> {
  const width = numCandidates * e;
  const pool = contexts(POOL, width, `bench/bandits/parametric/${numCandidates}x${e}`);
  const rewards = contexts(POOL, 1, 'bench/bandits/rewards');
  const rng = new Rng('bench/bandits/parametric-ts');
  const one = new Float32Array(1);
  const decide = (strategy: 'ucb' | 'ts'): number => {
    const model = new ParametricLinearArms({ numCandidates, featureDim: e });
    const chosen = [0];
    const reward = [0];
    return rate((i) => {
      const row = pool.subarray((i % POOL) * width, ((i % POOL) + 1) * width);
      if (strategy === 'ucb') model.selectUcb(row, 1, one);
      else model.selectThompson(row, 1, rng, one);
      chosen[0] = one[0] as number;
      reward[0] = rewards[i % POOL] as number;
      model.update(row, chosen, reward);
    });
  };
  return { ucbDecisionsPerSecond: Math.round(decide('ucb')), thompsonDecisionsPerSecond: Math.round(decide('ts')) };
}

function linearDiscreteEnvStepsPerSecond(): number {
  const env = new LinearDiscreteEnv();
  env.reset({ seed: 0 });
  return rate((i) => {
    env.step(i & 3);
    env.reset();
  });
}

/** Env steps/s of LinUCB's training loop, measured over iterations after a warm-up one. */
async function loopStepsPerSecond(config: BanditLinUCBConfig, iterations: number): Promise<number> {
  const algo = config.debugging({ seed: 1, logLevel: 'SILENT' }).build();
  try {
    await algo.train();
    let steps = 0;
    const start = performance.now();
    for (let i = 0; i < iterations; i++) steps += (await algo.train()).numEnvStepsSampledThisIter;
    return steps / ((performance.now() - start) / 1000);
  } finally {
    await algo.stop();
  }
}

const recsimBanditEnv = {
  env: 'RecSim/LongTermSatisfaction-v0',
  envConfig: {
    numCandidates: 20,
    slateSize: 2,
    sensitivity: 0.058,
    timeBudget: 120,
    chocStddev: 0.1,
    kaleStddev: 0.1,
    observeSatisfaction: true,
    convertToDiscreteActionSpace: true,
    wrapForBandits: true,
  },
};

export default async () => {
  const loop = {
    linearDiscreteLocalStepsPerSecond: Math.round(
      await loopStepsPerSecond(
        new BanditLinUCBConfig().environment({ env: 'LinearDiscrete-v0' }).reporting({ minSampleTimestepsPerIteration: 2000 }),
        5,
      ),
    ),
    recsimBanditLocalStepsPerSecond: Math.round(
      await loopStepsPerSecond(
        new BanditLinUCBConfig().environment(recsimBanditEnv).reporting({ minSampleTimestepsPerIteration: 2000 }),
        5,
      ),
    ),
    recsimBandit2Workers4EnvsStepsPerSecond: Math.round(
      await loopStepsPerSecond(
        new BanditLinUCBConfig()
          .environment(recsimBanditEnv)
          .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 4 })
          .reporting({ minSampleTimestepsPerIteration: 2000 }),
        5,
      ),
    ),
  };
  const linearDiscrete = perArm(4, 8);
  const envSteps = linearDiscreteEnvStepsPerSecond();
  return {
    linearDiscrete4Arms8Features: linearDiscrete,
    linearDiscreteEnvStepsPerSecond: Math.round(envSteps),
    linearDiscreteUcbDecisionOverEnvStepTime: Number((envSteps / linearDiscrete.ucbDecisionsPerSecond).toFixed(2)),
    perArm20Arms20Features: perArm(20, 20),
    parametric20Candidates20Features: parametric(20, 20),
    parametric20Candidates1Feature: parametric(20, 1),
    linUcbTrainingLoop: loop,
  };
};
