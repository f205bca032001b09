/**
 * Issue 3 benchmark: remote rollout worker threads on CartPole-v1 with a 64×64 actor-critic.
 * (1) Sampling throughput for 1 and 2 worker threads × 1, 8, 32, 64 envs per worker, as env steps/s
 * and as a ratio to a raw single-thread loop (same env steps, same forward passes, no framework);
 * (2) 1→2-worker scaling; (3) time from constructing the WorkerSet (what `build()` does) to the first
 * sample batch with 2 workers; (4) RSS added per worker thread; (5) time to broadcast the weights of
 * a ~1M-parameter model to 2 workers.
 */
import { loadavg } from 'node:os';
import { cartPolePPO } from '@loomrl/algorithms';
import { type AllSettings, createRng } from '@loomrl/core';
import { WorkerSet } from '@loomrl/workers';
import { actorCriticSpecs, initialState } from './actorCriticModule.js';
import { rawCartPoleStepsPerS } from './rawCartPoleLoop.js';

const STEPS = 400_000;

function settingsFor(workers: number, envs: number, hiddens: number[] = [64, 64]): AllSettings {
  return cartPolePPO({ numRolloutWorkers: workers, numEnvsPerWorker: envs, seed: 1 })
    .rollouts({ rolloutFragmentLength: Math.max(64, Math.floor(4096 / envs)) })
    .training({ model: { fcnetHiddens: hiddens, fcnetActivation: 'tanh' } }).settings as AllSettings;
}

/** Gives the workers their actor-critic module and initial weights, as PPO's setup does. */
async function prepare(set: WorkerSet, hiddens?: number[]): Promise<void> {
  const spaces = set.spaces();
  if (spaces === undefined) throw new Error('no spaces');
  const specs = actorCriticSpecs(spaces, hiddens);
  await set.setModules(specs);
  await set.syncState(initialState(specs));
}

async function started(workers: number, envs: number, hiddens?: number[]): Promise<WorkerSet> {
  const set = new WorkerSet(settingsFor(workers, envs, hiddens), { inEvaluation: false });
  await set.ready();
  await prepare(set, hiddens);
  return set;
}

async function threadStepsPerS(workers: number, envs: number): Promise<number> {
  const set = await started(workers, envs);
  try {
    await set.sample(1);
    const t0 = performance.now();
    let done = 0;
    while (done < STEPS) done += (await set.sample(1)).envSteps;
    return done / ((performance.now() - t0) / 1000);
  } finally {
    await set.stop();
  }
}

async function buildToFirstBatchMs(): Promise<number> {
  const t0 = performance.now();
  const set = new WorkerSet(settingsFor(2, 8), { inEvaluation: false });
  await set.ready();
  await prepare(set);
  await set.sample(1);
  const ms = performance.now() - t0;
  await set.stop();
  return ms;
}

async function rssPerWorkerMiB(): Promise<number> {
  const before = process.memoryUsage().rss;
  const set = await started(2, 64);
  await set.sample(1);
  const after = process.memoryUsage().rss;
  await set.stop();
  return (after - before) / 2 / 2 ** 20;
}

async function broadcast1M(): Promise<Record<string, number>> {
  const set = await started(2, 1, [700, 700]);
  try {
    const spaces = set.spaces();
    if (spaces === undefined) throw new Error('no spaces');
    const state = initialState(actorCriticSpecs(spaces, [700, 700]));
    const parameters = state.modules.default?.policy?.length ?? 0;
    const reps = 20;
    const t0 = performance.now();
    for (let v = 1; v <= reps; v++) await set.syncState({ ...state, version: v });
    return { parameters, workers: 2, msPerBroadcast: Number(((performance.now() - t0) / reps).toFixed(2)) };
  } finally {
    await set.stop();
  }
}

export default async function run(): Promise<Record<string, unknown>> {
  // Other processes on a 2-core machine cap the 1→2-worker scaling; record how busy it was.
  const loadAverage1mAtStart = loadavg()[0];
  const throughput: Record<string, unknown> = {};
  const rss = await rssPerWorkerMiB();
  for (const envs of [1, 8, 32, 64]) {
    const raw = rawCartPoleStepsPerS(envs, STEPS, createRng(2));
    const one = await threadStepsPerS(1, envs);
    const two = await threadStepsPerS(2, envs);
    throughput[`envsPerWorker${envs}`] = {
      rawSingleThreadStepsPerS: Math.round(raw),
      workers1StepsPerS: Math.round(one),
      workers2StepsPerS: Math.round(two),
      workers1RatioToRaw: Number((one / raw).toFixed(3)),
      workers2RatioToRaw: Number((two / raw).toFixed(3)),
      scaling1To2: Number((two / one).toFixed(3)),
    };
  }
  return {
    samplingCartPole64x64: throughput,
    buildToFirstBatchMs2Workers: Math.round(await buildToFirstBatchMs()),
    rssPerWorkerMiB: Number(rss.toFixed(1)),
    weightBroadcast: await broadcast1M(),
    loadAverage1mAtStart,
    loadAverage1mAtEnd: loadavg()[0],
    targets: { stepsPerSPerWorkerAt32Envs: 100_000, scaling1To2: 1.8, buildToFirstBatchMs: 1000, rssPerWorkerMiB: 150 },
  };
}
