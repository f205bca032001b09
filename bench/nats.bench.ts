/**
 * Issue 13 benchmark: rollout workers as `loomrl-worker` processes over NATS JetStream (a local
 * `nats-server -js`, file storage) against the same number of worker threads, on CartPole-v1 with
 * a 64×64 actor-critic, 32 envs per worker, 128-step fragments (4096 rows, ~280 KB per batch).
 * (1) env steps/s with 1, 2 and 4 workers of each kind, as ratios NATS ÷ threads; (2) the time to
 * broadcast ~1M parameters to 4 workers; (3) the per-batch costs a paper estimate for 100 workers
 * on a 10 Gbit network is built from (bytes per batch, encode and decode time, the learner's
 * per-batch overhead). Everything shares this machine's 2 cores with the server and the learner:
 * 4 worker processes oversubscribe it, so read the ratios, not the absolute rates.
 */
import { loadavg } from 'node:os';
import { cartPolePPO } from '@loomrl/algorithms';
import type { AllSettings } from '@loomrl/core';
import { WorkerSet } from '@loomrl/workers';
import type { RemoteSample } from '@loomrl/workers/internal';
import { NatsServer } from '../packages/nats/src/__fixtures__/natsServer.js';
import { startWorkers, type WorkerProcess } from '../packages/nats/src/__fixtures__/workerProcesses.js';
import { decodeSample, encodeSample } from '../packages/nats/src/sampleCodec.js';
import { actorCriticSpecs, initialState } from './actorCriticModule.js';

const STEPS = 150_000;
const ENVS = 32;
const FRAGMENT = 128;

function settingsFor(workers: number, url: string | null, name: string, hiddens: number[] = [64, 64]): AllSettings {
  const config = cartPolePPO({ numRolloutWorkers: workers, numEnvsPerWorker: ENVS, seed: 1 })
    .rollouts({ rolloutFragmentLength: FRAGMENT })
    .training({ model: { fcnetHiddens: hiddens, fcnetActivation: 'tanh' } })
    .debugging({ logLevel: 'SILENT' });
  if (url !== null) config.rollouts({ remote: { transport: 'nats', servers: url, name } });
  return config.settings as AllSettings;
}

async function started(settings: AllSettings, hiddens?: number[]): Promise<WorkerSet> {
  const set = new WorkerSet(settings, { inEvaluation: false });
  await set.ready();
  const spaces = set.spaces();
  if (spaces === undefined) throw new Error('no spaces');
  const specs = actorCriticSpecs(spaces, hiddens);
  await set.setModules(specs);
  await set.syncState(initialState(specs));
  return set;
}

async function stepsPerS(set: WorkerSet): Promise<{ stepsPerS: number; msPerRound: number }> {
  await set.sample(1);
  const t0 = performance.now();
  let done = 0;
  let rounds = 0;
  while (done < STEPS) {
    done += (await set.sample(1)).envSteps;
    rounds += 1;
  }
  const s = (performance.now() - t0) / 1000;
  return { stepsPerS: done / s, msPerRound: (s * 1000) / rounds };
}

async function withWorkers<T>(server: NatsServer, count: number, name: string, work: () => Promise<T>): Promise<T> {
  const workers: WorkerProcess[] = startWorkers(count, server.url, name);
  try {
    return await work();
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

async function throughput(server: NatsServer, workers: number): Promise<Record<string, number>> {
  const threadSet = await started(settingsFor(workers, null, ''));
  const threads = await stepsPerS(threadSet).finally(() => threadSet.stop());
  const name = `bench-${workers}`;
  const nats = await withWorkers(server, workers, name, async () => {
    const set = await started(settingsFor(workers, server.url, name));
    return stepsPerS(set).finally(() => set.stop());
  });
  return {
    threadsStepsPerS: Math.round(threads.stepsPerS),
    natsStepsPerS: Math.round(nats.stepsPerS),
    natsRatioToThreads: Number((nats.stepsPerS / threads.stepsPerS).toFixed(3)),
    threadsMsPerRound: Number(threads.msPerRound.toFixed(2)),
    natsMsPerRound: Number(nats.msPerRound.toFixed(2)),
  };
}

async function broadcastMs(set: WorkerSet, hiddens: number[]): Promise<{ parameters: number; ms: number }> {
  const spaces = set.spaces();
  if (spaces === undefined) throw new Error('no spaces');
  const state = initialState(actorCriticSpecs(spaces, hiddens));
  const reps = 10;
  const t0 = performance.now();
  for (let v = 1; v <= reps; v++) await set.syncState({ ...state, version: v });
  return { parameters: state.modules.default?.policy?.length ?? 0, ms: (performance.now() - t0) / reps };
}

async function broadcast1M(server: NatsServer): Promise<Record<string, number>> {
  const hiddens = [700, 700];
  const threadSet = await started(settingsFor(4, null, ''), hiddens);
  const threads = await broadcastMs(threadSet, hiddens).finally(() => threadSet.stop());
  const nats = await withWorkers(server, 4, 'bench-broadcast', async () => {
    const set = await started(settingsFor(4, server.url, 'bench-broadcast'), hiddens);
    return broadcastMs(set, hiddens).finally(() => set.stop());
  });
  return {
    parameters: nats.parameters,
    workers: 4,
    threadsMsPerBroadcast: Number(threads.ms.toFixed(2)),
    natsMsPerBroadcast: Number(nats.ms.toFixed(2)),
    natsRatioToThreads: Number((nats.ms / threads.ms).toFixed(1)),
  };
}

/** One worker's batch, sampled by a local thread worker, to time the wire encoding. */
async function batchCosts(): Promise<Record<string, number>> {
  const set = await started(settingsFor(1, null, ''));
  try {
    const round = await set.sample(1);
    const batch = round.batches.default?.[0];
    if (batch === undefined) throw new Error('no batch');
    const sample: RemoteSample = { batches: { default: batch.toData() }, episodes: round.episodes, perf: round.perf, weightsVersion: 0 };
    const reps = 200;
    let bytes = 0;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) bytes = encodeSample(sample).length;
    const encodeMs = (performance.now() - t0) / reps;
    const frame = encodeSample(sample);
    const t1 = performance.now();
    for (let i = 0; i < reps; i++) decodeSample(frame.slice());
    const decodeMs = (performance.now() - t1) / reps;
    return { rowsPerBatch: batch.count, bytesPerBatch: bytes, bytesPerRow: Number((bytes / batch.count).toFixed(1)), encodeMs, decodeMs };
  } finally {
    await set.stop();
  }
}

/**
 * 100 workers on 10 Gbit, on paper: the learner host's link carries every batch in (and each
 * weight version out, 100 times); the learner's CPU pays decode + JetStream ack per batch. A
 * worker's own rate is what one NATS worker measured here (the network does not slow a worker).
 */
function paperEstimate(costs: Record<string, number>, oneWorker: Record<string, number>, broadcast: Record<string, number>) {
  const linkBytesPerS = 10e9 / 8;
  const bytesPerStep = (costs.bytesPerBatch as number) / (costs.rowsPerBatch as number);
  const networkStepsPerS = linkBytesPerS / bytesPerStep;
  // The learner's per-batch overhead beyond sampling: one NATS round minus one thread round, measured with 1 worker.
  const overheadMsPerBatch = Math.max(
    costs.decodeMs as number,
    (oneWorker.natsMsPerRound as number) - (oneWorker.threadsMsPerRound as number),
  );
  const learnerStepsPerS = ((costs.rowsPerBatch as number) / overheadMsPerBatch) * 1000;
  const workersStepsPerS = 100 * (oneWorker.natsStepsPerS as number);
  const weightBytes = (broadcast.parameters as number) * 4;
  return {
    bytesPerEnvStep: Number(bytesPerStep.toFixed(1)),
    networkLimitStepsPerS: Math.round(networkStepsPerS),
    learnerIngestLimitStepsPerS: Math.round(learnerStepsPerS),
    hundredWorkersSamplingStepsPerS: Math.round(workersStepsPerS),
    estimatedStepsPerS: Math.round(Math.min(networkStepsPerS, learnerStepsPerS, workersStepsPerS)),
    weightVersionTo100WorkersMsOn10Gbit: Number((((weightBytes * 100) / linkBytesPerS) * 1000).toFixed(1)),
  };
}

export default async function run(): Promise<Record<string, unknown>> {
  const loadAverage1mAtStart = loadavg()[0];
  const server = await NatsServer.start();
  try {
    const scaling: Record<string, Record<string, number>> = {};
    for (const workers of [1, 2, 4]) scaling[`workers${workers}`] = await throughput(server, workers);
    const broadcast = await broadcast1M(server);
    const costs = await batchCosts();
    return {
      samplingCartPole64x64Envs32: scaling,
      weightBroadcast: broadcast,
      perBatch: costs,
      paperEstimate100Workers10Gbit: paperEstimate(costs, scaling.workers1 as Record<string, number>, broadcast),
      loadAverage1mAtStart,
      loadAverage1mAtEnd: loadavg()[0],
    };
  } finally {
    await server.stop();
  }
}
