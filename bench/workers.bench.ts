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
import { ActorCriticInference, type AllSettings, actorCriticSpecFor, createRng, initialWeights, type Rng } from '@loomrl/core';
import { CartPoleEnv } from '@loomrl/envs';
import { WorkerSet } from '@loomrl/workers';

const STEPS = 400_000;

function dense(
  x: Float32Array,
  rows: number,
  n: number,
  w: Float32Array,
  b: Float32Array,
  m: number,
  out: Float32Array,
  tanh: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < m; o++) {
      let sum = b[o] as number;
      for (let i = 0; i < n; i++) sum += (x[r * n + i] as number) * (w[i * m + o] as number);
      out[r * m + o] = tanh ? Math.tanh(sum) : sum;
    }
  }
}

/** N CartPoles stepped by a hand-written 64×64 policy + value pass, one thread, no framework. */
function rawStepsPerS(numEnvs: number, steps: number, rng: Rng): number {
  const envs = Array.from({ length: numEnvs }, () => new CartPoleEnv({}));
  const obs = new Float32Array(numEnvs * 4);
  for (const [e, env] of envs.entries()) obs.set(env.reset({ seed: e }).obs as Float32Array, e * 4);
  const layer = (i: number, o: number) => ({ w: Float32Array.from({ length: i * o }, () => rng.normal() * 0.1), b: new Float32Array(o) });
  const [p1, p2, p3, v1, v2, v3] = [layer(4, 64), layer(64, 64), layer(64, 2), layer(4, 64), layer(64, 64), layer(64, 1)];
  const h1 = new Float32Array(numEnvs * 64);
  const h2 = new Float32Array(numEnvs * 64);
  const logits = new Float32Array(numEnvs * 2);
  const values = new Float32Array(numEnvs);
  const lengths = new Int32Array(numEnvs);
  let done = 0;
  const started = performance.now();
  while (done < steps) {
    dense(obs, numEnvs, 4, p1.w, p1.b, 64, h1, true);
    dense(h1, numEnvs, 64, p2.w, p2.b, 64, h2, true);
    dense(h2, numEnvs, 64, p3.w, p3.b, 2, logits, false);
    dense(obs, numEnvs, 4, v1.w, v1.b, 64, h1, true);
    dense(h1, numEnvs, 64, v2.w, v2.b, 64, h2, true);
    dense(h2, numEnvs, 64, v3.w, v3.b, 1, values, false);
    for (let e = 0; e < numEnvs; e++) {
      const pRight = 1 / (1 + Math.exp((logits[e * 2] as number) - (logits[e * 2 + 1] as number)));
      const env = envs[e] as CartPoleEnv;
      const step = env.step(rng.random() < pRight ? 1 : 0);
      lengths[e] = (lengths[e] as number) + 1;
      const ended = step.terminated || lengths[e] === 500;
      obs.set((ended ? env.reset().obs : step.obs) as Float32Array, e * 4);
      if (ended) lengths[e] = 0;
    }
    done += numEnvs;
  }
  return done / ((performance.now() - started) / 1000);
}

function settingsFor(workers: number, envs: number, hiddens: number[] = [64, 64]): AllSettings {
  return cartPolePPO({ numRolloutWorkers: workers, numEnvsPerWorker: envs, seed: 1 })
    .rollouts({ rolloutFragmentLength: Math.max(64, Math.floor(4096 / envs)) })
    .training({ model: { fcnetHiddens: hiddens, fcnetActivation: 'tanh' } }).settings as AllSettings;
}

function weightsFor(set: WorkerSet): Float32Array {
  const spaces = set.spaces();
  if (spaces === undefined) throw new Error('no spaces');
  const module = new ActorCriticInference(actorCriticSpecFor(spaces.observationSpace, spaces.actionSpace, set.settings.model));
  return initialWeights(module.layout, createRng(1));
}

async function started(workers: number, envs: number, hiddens?: number[]): Promise<WorkerSet> {
  const set = new WorkerSet(settingsFor(workers, envs, hiddens), { inEvaluation: false });
  await set.ready();
  await set.syncWeights(weightsFor(set), 0);
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
  await set.syncWeights(weightsFor(set), 0);
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
    const weights = weightsFor(set);
    const reps = 20;
    const t0 = performance.now();
    for (let v = 1; v <= reps; v++) await set.syncWeights(weights, v);
    return { parameters: weights.length, workers: 2, msPerBroadcast: Number(((performance.now() - t0) / reps).toFixed(2)) };
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
    const raw = rawStepsPerS(envs, STEPS, createRng(2));
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
