/**
 * Issue 9 benchmark: replay buffers at capacity 1M with CartPole-sized transition rows (obs 4,
 * nextObs 4, actions, rewards, terminateds, truncateds, epsId, envId, t: 58 bytes per row).
 * (1) add throughput in rows/s with batches of 4 rows (DQN's rollout fragment on one env) and of
 * 1000 rows; (2) sample throughput for batches of 32 and 256 rows, uniform and prioritized, and as a
 * ratio to a raw loop gathering the same columns at random indices into one new array per column; (3) priority updates/s;
 * (4) getState + setState time of a full buffer (checkpoints with `storeBufferInCheckpoints`);
 * (5) the n-step connector's rows/s; (6) memory per buffer.
 */

import { loadavg } from 'node:os';
import { type AnyReplayBuffer, computeNStepTransitions, createReplayBuffer, PrioritizedReplayBuffer } from '@loomrl/algorithms';
import { createRng, type Rng, SampleBatch, type TransitionColumns } from '@loomrl/core';

const CAPACITY = 1_000_000;
const OBS = 4;

type Row = TransitionColumns;

function transitions(count: number, rng: Rng, firstEpisode: number): SampleBatch<Row> {
  const obs = Float32Array.from({ length: count * OBS }, () => rng.uniform(-0.05, 0.05));
  const nextObs = Float32Array.from({ length: count * OBS }, () => rng.uniform(-0.05, 0.05));
  return new SampleBatch<Row>(
    count,
    { obs: OBS, nextObs: OBS, actions: 1, rewards: 1, terminateds: 1, truncateds: 1, epsId: 1, envId: 1, t: 1 },
    {
      obs,
      nextObs,
      actions: Float32Array.from({ length: count }, () => rng.int(2)),
      rewards: new Float32Array(count).fill(1),
      terminateds: Uint8Array.from({ length: count }, (_, i) => (i % 50 === 49 ? 1 : 0)),
      truncateds: new Uint8Array(count),
      epsId: Float64Array.from({ length: count }, (_, i) => firstEpisode + Math.floor(i / 50)),
      envId: new Int32Array(count),
      t: Int32Array.from({ length: count }, (_, i) => i % 50),
    },
  );
}

/** Calls `run` until ~`seconds` have passed; returns calls per second. */
function rate(seconds: number, run: () => void): number {
  for (let i = 0; i < 100; i++) run();
  let calls = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < 100; i++) run();
    calls += 100;
    elapsed = performance.now() - t0;
  }
  return calls / (elapsed / 1000);
}

/** Rows/s of filling an empty buffer to capacity with batches of `batchRows`. */
function fillRowsPerS(
  type: 'ReplayBuffer' | 'PrioritizedReplayBuffer',
  batchRows: number,
): { buffer: AnyReplayBuffer<Row>; rowsPerS: number } {
  const buffer = createReplayBuffer<Row>({ type, capacity: CAPACITY });
  const batches = Array.from({ length: 16 }, (_, i) => transitions(batchRows, createRng(1, 'fill', i), i * batchRows));
  const t0 = performance.now();
  let added = 0;
  for (let i = 0; added < CAPACITY; i++) {
    buffer.add(batches[i % batches.length] as SampleBatch<Row>);
    added += batchRows;
  }
  return { buffer, rowsPerS: added / ((performance.now() - t0) / 1000) };
}

/** The same gather as a buffer's sample, written inline over plain typed arrays: the floor of what a sample can cost. */
function rawGather(
  columns: Record<string, Float32Array | Float64Array | Int32Array | Uint8Array>,
  widths: Record<string, number>,
  rows: number,
  rng: Rng,
): void {
  const indices = new Int32Array(rows);
  for (let r = 0; r < rows; r++) indices[r] = rng.int(CAPACITY);
  for (const [name, source] of Object.entries(columns)) {
    const width = widths[name] as number;
    const target = new (source.constructor as new (n: number) => typeof source)(rows * width);
    for (let r = 0; r < rows; r++) {
      const from = (indices[r] as number) * width;
      for (let k = 0; k < width; k++) target[r * width + k] = source[from + k] as number;
    }
  }
}

function memoryMiB(): number {
  return process.memoryUsage().arrayBuffers / 2 ** 20;
}

export default async function replayBench(): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = { capacity: CAPACITY, obsDim: OBS, bytesPerRow: 4 * OBS * 2 + 4 + 4 + 1 + 1 + 8 + 4 + 4 };
  const loadBefore = loadavg()[0];
  const rng = createRng(7, 'bench');
  const memBefore = memoryMiB();
  const uniformFill4 = fillRowsPerS('ReplayBuffer', 4);
  const memUniform = memoryMiB() - memBefore;
  const uniformFill1000 = fillRowsPerS('ReplayBuffer', 1000);
  const memBeforePrioritized = memoryMiB();
  const prioritizedFill4 = fillRowsPerS('PrioritizedReplayBuffer', 4);
  const memPrioritized = memoryMiB() - memBeforePrioritized;
  const prioritizedFill1000 = fillRowsPerS('PrioritizedReplayBuffer', 1000);
  figures.addRowsPerS = {
    uniform: { batch4: Math.round(uniformFill4.rowsPerS), batch1000: Math.round(uniformFill1000.rowsPerS) },
    prioritized: { batch4: Math.round(prioritizedFill4.rowsPerS), batch1000: Math.round(prioritizedFill1000.rowsPerS) },
  };
  figures.bufferMiB = { uniform: Math.round(memUniform), prioritized: Math.round(memPrioritized) };

  const uniform = uniformFill1000.buffer;
  const prioritized = prioritizedFill1000.buffer as PrioritizedReplayBuffer<Row>;
  // Spread the priorities so prioritized sampling walks a realistic tree.
  for (let start = 0; start < CAPACITY; start += 1000) {
    const indices = Int32Array.from({ length: 1000 }, (_, i) => start + i);
    prioritized.updatePriorities(
      indices,
      Float32Array.from(indices, () => rng.exponential()),
    );
  }
  const state = uniform.getState();
  const sample: Record<string, unknown> = {};
  for (const rows of [32, 256]) {
    const uniformCalls = rate(1, () => uniform.sample(rows, rng));
    const prioritizedCalls = rate(1, () => prioritized.sample(rows, rng, { timestep: 1000 }));
    const rawCalls = rate(1, () => rawGather(state.columns as never, state.widths as Record<string, number>, rows, rng));
    sample[`batch${rows}`] = {
      uniformRowsPerS: Math.round(uniformCalls * rows),
      prioritizedRowsPerS: Math.round(prioritizedCalls * rows),
      rawGatherRowsPerS: Math.round(rawCalls * rows),
      uniformOverRaw: Number((uniformCalls / rawCalls).toFixed(2)),
      prioritizedOverUniform: Number((prioritizedCalls / uniformCalls).toFixed(2)),
    };
  }
  figures.sample = sample;

  const updates: Record<string, number> = {};
  for (const rows of [32, 256]) {
    const batch = prioritized.sample(rows, rng);
    const tdErrors = Float32Array.from({ length: rows }, () => rng.normal());
    updates[`batch${rows}UpdatesPerS`] = Math.round(
      rate(1, () => prioritized.updatePriorities(batch.columns.batchIndexes, tdErrors)) * rows,
    );
  }
  figures.priorityUpdates = updates;

  const t0 = performance.now();
  const prioritizedState = prioritized.getState();
  const t1 = performance.now();
  new PrioritizedReplayBuffer<Row>({ capacity: CAPACITY }).setState(prioritizedState);
  const t2 = performance.now();
  figures.fullPrioritizedStateMs = { getState: Math.round(t1 - t0), setState: Math.round(t2 - t1) };

  const fragment = transitions(1000, rng, 0);
  figures.nStep3RowsPerS = Math.round(rate(1, () => computeNStepTransitions(fragment, { nStep: 3, gamma: 0.99 })) * 1000);
  figures.loadAverage1m = { before: loadBefore, after: loadavg()[0] };
  return figures;
}
