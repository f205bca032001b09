/**
 * Issue 11 benchmark: offline data and the offline learners.
 * (1) Rows/s written: CartPole-v1 sampling on a WorkerSet (64×64 actor-critic, 8 envs per worker,
 *     128-step fragments) with `offlineData({ output })` (compact obs columns, RLlib's default) and
 *     without, local worker and 2 remote workers; the ratio is the cost of writing.
 * (2) Rows/s read: a WorkerSet with `offlineData({ input })` over those files (no env), reading
 *     train batches of 4000 rows, local and 2 workers.
 * (3) Learner updates/s (256-row batches, 64×64 nets): CRR (CartPole data, Discrete, exp weights),
 *     BC and MARWIL (β = 1) on the same CartPole data, CQL (Pendulum data, 4 sampled actions per
 *     source) and SAC online on Pendulum, each on tfjs-wasm
 *     and on LoomRL's kernels (`'loomrl'`, what 'auto' picks without tfjs-node) in the same run; and
 *     for the offline algorithms the share of an iteration spent reading, which must stay small.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BCConfig, CQLConfig, CRRConfig, cartPolePPO, MARWILConfig, pendulumSAC } from '@loomrl/algorithms';
import type { AlgorithmConfig, BackendName, TrainResult } from '@loomrl/core';
import { recordRollouts, WorkerSet } from '@loomrl/workers';
import { actorCriticSpecs, initialState } from './actorCriticModule.js';

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

/** Rows/s of `rounds` sample rounds of `minEnvSteps` on a WorkerSet for `config` (modules set, a warm-up round first). */
async function rowsPerSecond(config: AlgorithmConfig, minEnvSteps: number, rounds: number): Promise<number> {
  const set = new WorkerSet(config.settingsForWorkers(), { inEvaluation: false });
  try {
    await set.ready();
    const spaces = set.spaces();
    if (spaces === undefined) throw new Error('the bench needs spaces');
    const specs = actorCriticSpecs(spaces);
    await set.setModules(specs);
    await set.syncState(initialState(specs));
    await set.sample(minEnvSteps);
    let rows = 0;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) rows += (await set.sample(minEnvSteps)).envSteps;
    return rows / ((performance.now() - started) / 1000);
  } finally {
    await set.stop();
  }
}

const sampling = (workers: number) =>
  cartPolePPO({ numRolloutWorkers: workers, numEnvsPerWorker: 8 }).rollouts({ rolloutFragmentLength: 128 }).debugging({ seed: 3 });

async function writing(dir: string) {
  const out: Record<string, number> = {};
  for (const workers of [0, 2]) {
    const plain = await rowsPerSecond(sampling(workers), 4096, 20);
    const written = await rowsPerSecond(sampling(workers).offlineData({ output: join(dir, `w${workers}`) }), 4096, 20);
    const key = workers === 0 ? 'local' : 'twoWorkers';
    out[`${key}RowsPerSecondWritten`] = round(written);
    out[`${key}RowsPerSecondSampledWithoutOutput`] = round(plain);
    out[`${key}WriteSlowdown`] = round(plain / written, 3);
  }
  return out;
}

async function reading(dir: string) {
  const out: Record<string, number> = {};
  for (const workers of [0, 2]) {
    const config = new BCConfig()
      .environment({
        observationSpace: { type: 'Box', low: [-5, -5, -5, -5], high: [5, 5, 5, 5], shape: [4], dtype: 'float32' },
        actionSpace: { type: 'Discrete', n: 2, start: 0 },
      })
      .offlineData({ input: join(dir, 'w2') })
      .rollouts({ numRolloutWorkers: workers })
      .training({ trainBatchSize: 4000 });
    out[workers === 0 ? 'localRowsPerSecondRead' : 'twoWorkersRowsPerSecondRead'] = round(await rowsPerSecond(config, 4000, 25));
  }
  return out;
}

/** Updates/s and the read share of `iterations` iterations (after one warm-up) of an offline algorithm. */
async function offlineLearner(config: AlgorithmConfig, iterations: number, batch: number) {
  const algo = config.build();
  let learnMs = 0;
  let sampleMs = 0;
  let trained = 0;
  try {
    await algo.train();
    for (let i = 0; i < iterations; i++) {
      const r: TrainResult = await algo.train();
      learnMs += r.timers.learnTimeMs;
      sampleMs += r.timers.sampleTimeMs;
      trained += r.numEnvStepsTrainedThisIter;
    }
  } finally {
    await algo.stop();
  }
  return {
    updatesPerSecond: round(trained / batch / (learnMs / 1000), 1),
    readShareOfIteration: round(sampleMs / (sampleMs + learnMs), 4),
  };
}

const net = { fcnetHiddens: [64, 64], fcnetActivation: 'relu' as const };

export default async function run(): Promise<Record<string, unknown>> {
  const loadAverage1mAtStart = round(loadavg()[0] ?? 0, 2);
  const dir = mkdtempSync(join(tmpdir(), 'loomrl-bench-offline-'));
  try {
    const write = await writing(dir);
    const read = await reading(dir);
    // Pendulum rows for CQL: an untrained SAC actor's rollouts.
    const sacConfig = pendulumSAC({ seed: 1 });
    const sac = sacConfig.build();
    await sac.ready();
    await recordRollouts({
      settings: sacConfig
        .copy()
        .offlineData({ output: join(dir, 'pendulum') })
        .rollouts({ numEnvsPerWorker: 8, rolloutFragmentLength: 200 })
        .settingsForWorkers(),
      specs: sac.moduleSpecsInUse,
      state: { default: sac.getModuleState() },
      minEnvSteps: 20_000,
    });
    await sac.stop();
    const reporting = { minTimeSPerIteration: null, minTrainTimestepsPerIteration: 20 * 256 };
    const crr = (backend: BackendName) =>
      offlineLearner(
        new CRRConfig()
          .environment({ env: 'CartPole-v1' })
          .offlineData({ input: join(dir, 'w2') })
          .rollouts({ numRolloutWorkers: 0 })
          .training({ trainBatchSize: 256, actorHiddens: [64, 64], criticHiddens: [64, 64], weightType: 'exp' })
          .reporting(reporting)
          .framework({ backend }),
        3,
        256,
      );
    const cartPoleSpaces = (config: BCConfig | MARWILConfig) =>
      config
        .environment({ env: 'CartPole-v1' })
        .offlineData({ input: join(dir, 'w2') })
        .rollouts({ numRolloutWorkers: 0 })
        .training({ trainBatchSize: 256, model: net })
        .reporting(reporting);
    const bc = (backend: BackendName) => offlineLearner(cartPoleSpaces(new BCConfig()).framework({ backend }), 3, 256);
    const marwil = (backend: BackendName) =>
      offlineLearner(cartPoleSpaces(new MARWILConfig().training({ beta: 1 })).framework({ backend }), 3, 256);
    const cql = (backend: BackendName) =>
      offlineLearner(
        new CQLConfig()
          .environment({ env: 'Pendulum-v1' })
          .offlineData({ input: join(dir, 'pendulum'), actionsInInputNormalized: true })
          .rollouts({ numRolloutWorkers: 0 })
          .training({ trainBatchSize: 256, bcIters: 0, numActions: 4, qModelConfig: net, policyModelConfig: net })
          .reporting(reporting)
          .framework({ backend }),
        3,
        256,
      );
    const sacOnline = (backend: BackendName) =>
      offlineLearner(
        pendulumSAC({ seed: 1 })
          .training({ numStepsSampledBeforeLearningStarts: 256 })
          .reporting({ minSampleTimestepsPerIteration: 100 })
          .framework({ backend }),
        3,
        256,
      );
    const crrWasm = await crr('wasm');
    const crrKernels = await crr('loomrl');
    const bcWasm = await bc('wasm');
    const bcKernels = await bc('loomrl');
    const marwilWasm = await marwil('wasm');
    const marwilKernels = await marwil('loomrl');
    const cqlWasm = await cql('wasm');
    const cqlKernels = await cql('loomrl');
    const sacWasm = await sacOnline('wasm');
    const sacKernels = await sacOnline('loomrl');
    return {
      loadAverage1mAtStart,
      writing: write,
      reading: read,
      learnerUpdatesPerSecond: {
        crrWasm: crrWasm.updatesPerSecond,
        crrLoomrl: crrKernels.updatesPerSecond,
        bcWasm: bcWasm.updatesPerSecond,
        bcLoomrl: bcKernels.updatesPerSecond,
        marwilWasm: marwilWasm.updatesPerSecond,
        marwilLoomrl: marwilKernels.updatesPerSecond,
        cqlWasm: cqlWasm.updatesPerSecond,
        cqlLoomrl: cqlKernels.updatesPerSecond,
        sacWasm: sacWasm.updatesPerSecond,
        sacLoomrl: sacKernels.updatesPerSecond,
      },
      kernelSpeedupOverWasm: {
        crr: round(crrKernels.updatesPerSecond / crrWasm.updatesPerSecond, 1),
        bc: round(bcKernels.updatesPerSecond / bcWasm.updatesPerSecond, 1),
        marwil: round(marwilKernels.updatesPerSecond / marwilWasm.updatesPerSecond, 1),
        cql: round(cqlKernels.updatesPerSecond / cqlWasm.updatesPerSecond, 1),
        sac: round(sacKernels.updatesPerSecond / sacWasm.updatesPerSecond, 1),
      },
      readShareOfOfflineIteration: {
        crrWasm: crrWasm.readShareOfIteration,
        crrLoomrl: crrKernels.readShareOfIteration,
        bcLoomrl: bcKernels.readShareOfIteration,
        marwilLoomrl: marwilKernels.readShareOfIteration,
        cqlWasm: cqlWasm.readShareOfIteration,
        cqlLoomrl: cqlKernels.readShareOfIteration,
      },
      loadAverage1mAtEnd: round(loadavg()[0] ?? 0, 2),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
