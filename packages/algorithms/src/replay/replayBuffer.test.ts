import type { TransitionColumns } from '@loomrl/core';
import { CheckpointError, type ColumnSet, ConfigError, createRng, DataError, SampleBatch } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replayBuffer.js';

type Rows = TransitionColumns & { readonly actionProb: Float32Array };

/** Rows with ids `[first, first + count)`: row id k has obs [k, −k], nextObs [k + 0.5, 0], reward k, epsId ⌊k / 3⌋. */
function rows(first: number, count: number): SampleBatch<Rows> {
  const ids = Array.from({ length: count }, (_, r) => first + r);
  return new SampleBatch<Rows>(
    count,
    { obs: 2, nextObs: 2, actions: 1, rewards: 1, terminateds: 1, truncateds: 1, epsId: 1, envId: 1, t: 1, actionProb: 1 },
    {
      obs: Float32Array.from(ids.flatMap((k) => [k, -k])),
      nextObs: Float32Array.from(ids.flatMap((k) => [k + 0.5, 0])),
      actions: Float32Array.from(ids, (k) => k % 2),
      rewards: Float32Array.from(ids),
      terminateds: Uint8Array.from(ids, (k) => (k % 3 === 2 ? 1 : 0)),
      truncateds: new Uint8Array(count),
      epsId: Float64Array.from(ids, (k) => Math.floor(k / 3)),
      envId: new Int32Array(count),
      t: Int32Array.from(ids, (k) => k % 3),
      actionProb: Float32Array.from(ids, (k) => 1 / (k + 1)),
    },
  );
}

/** The row ids held at storage indices 0, 1, …. */
function storedIds(buffer: ReplayBuffer<Rows>): number[] {
  return Array.from(buffer.getState().columns.rewards ?? []);
}

describe('ReplayBuffer', () => {
  it('keeps the newest capacity rows, overwriting the oldest in ring order', () => {
    const buffer = new ReplayBuffer<Rows>({ capacity: 5 });
    buffer.add(rows(0, 3));
    expect(storedIds(buffer)).toEqual([0, 1, 2]);
    expect(buffer.size).toBe(3);
    buffer.add(rows(3, 4));
    expect(storedIds(buffer)).toEqual([5, 6, 2, 3, 4]);
    expect(buffer.size).toBe(5);
    expect(buffer.numAdded).toBe(7);
    expect(buffer.capacity).toBe(5);
  });

  it('keeps only the last capacity rows of a batch larger than itself, where a row-by-row ring would put them', () => {
    const buffer = new ReplayBuffer<Rows>({ capacity: 4 });
    buffer.add(rows(0, 1));
    buffer.add(rows(1, 10)); // ids 1..10; row-by-row, ids 7..10 land at indices 3, 0, 1, 2
    expect(storedIds(buffer)).toEqual([8, 9, 10, 7]);
    expect(buffer.numAdded).toBe(11);
    buffer.add(rows(11, 1));
    expect(storedIds(buffer)).toEqual([8, 9, 10, 11]);
  });

  it('holds what a row-by-row ring holds after random batch sizes, in every column', () => {
    const rng = createRng(5, 'ring');
    const capacity = 17;
    const buffer = new ReplayBuffer<Rows>({ capacity });
    const model: number[] = [];
    let next = 0;
    let id = 0;
    for (let round = 0; round < 60; round++) {
      const count = rng.int(40);
      buffer.add(rows(id, count));
      for (let k = 0; k < count; k++) {
        model[next] = id + k;
        next = (next + 1) % capacity;
      }
      id += count;
      expect(storedIds(buffer)).toEqual(model);
    }
    const state = buffer.getState();
    expect(Array.from(state.columns.obs ?? [])).toEqual(model.flatMap((k) => [k, -k]));
    expect(Array.from(state.columns.epsId ?? [])).toEqual(model.map((k) => Math.floor(k / 3)));
    expect(Array.from(state.columns.actionProb ?? [])).toEqual(model.map((k) => Math.fround(1 / (k + 1))));
  });

  it('samples whole rows: every column of a sampled row belongs to the stored row named by batchIndexes', () => {
    const buffer = new ReplayBuffer<Rows>({ capacity: 8 });
    buffer.add(rows(0, 11));
    const ids = storedIds(buffer);
    const sample = buffer.sample(64, createRng(1, 'sample'));
    expect(sample.count).toBe(64);
    expect(sample.widths.obs).toBe(2);
    expect(sample.columns.batchIndexes).toBeInstanceOf(Int32Array);
    expect(Array.from(sample.columns.weights)).toEqual(new Array(64).fill(1));
    for (let r = 0; r < sample.count; r++) {
      const k = sample.columns.rewards[r] as number;
      expect(ids[sample.columns.batchIndexes[r] as number]).toBe(k);
      expect(Array.from(sample.columns.obs.subarray(2 * r, 2 * r + 2))).toEqual([k, -k]);
      expect(Array.from(sample.columns.nextObs.subarray(2 * r, 2 * r + 2))).toEqual([k + 0.5, 0]);
      expect(sample.columns.epsId[r]).toBe(Math.floor(k / 3));
      expect(sample.columns.t[r]).toBe(k % 3);
      expect(sample.columns.terminateds[r]).toBe(k % 3 === 2 ? 1 : 0);
    }
  });

  it('returns copies: changing a sample leaves the buffer as it was', () => {
    const buffer = new ReplayBuffer<Rows>({ capacity: 4 });
    buffer.add(rows(0, 4));
    const sample = buffer.sample(8, createRng(2, 'copy'));
    sample.columns.rewards.fill(-1);
    sample.columns.obs.fill(-1);
    expect(storedIds(buffer)).toEqual([0, 1, 2, 3]);
    expect(buffer.sample(4, createRng(2, 'copy')).columns.rewards.every((r) => r >= 0)).toBe(true);
  });

  it('puts all columns of a sample in one ArrayBuffer, so it posts to another thread in one transfer', () => {
    const buffer = new ReplayBuffer<Rows>({ capacity: 8 });
    buffer.add(rows(0, 8));
    const sample = buffer.sample(5, createRng(3, 'transfer'));
    const expected = structuredClone(sample.columns);
    expect(sample.transferables()).toHaveLength(1);
    const received = SampleBatch.fromData(structuredClone(sample.toData(), { transfer: sample.transferables() }));
    expect(received.columns).toEqual(expected);
    expect(received.columns.epsId).toBeInstanceOf(Float64Array);
    expect(received.columns.terminateds).toBeInstanceOf(Uint8Array);
  });

  it('draws every stored row equally often, with replacement', () => {
    const buffer = new ReplayBuffer<Rows>({ capacity: 10 });
    buffer.add(rows(0, 10));
    const draws = 50_000;
    const counts = new Array<number>(10).fill(0);
    const sample = buffer.sample(draws, createRng(4, 'uniform'));
    for (const index of sample.columns.batchIndexes) counts[index] = (counts[index] as number) + 1;
    const sd = Math.sqrt(draws * 0.1 * 0.9);
    for (const count of counts) expect(Math.abs(count - draws / 10)).toBeLessThan(5 * sd);
  });

  it('draws only from the rows held before the buffer is full', () => {
    const buffer = new ReplayBuffer<Rows>({ capacity: 100 });
    buffer.add(rows(0, 3));
    const sample = buffer.sample(1000, createRng(6, 'partial'));
    expect(Math.max(...sample.columns.batchIndexes)).toBe(2);
  });

  it('draws the same rows for the same seed', () => {
    const buffer = new ReplayBuffer<Rows>({ capacity: 50 });
    buffer.add(rows(0, 50));
    const a = buffer.sample(32, createRng(9, 'same'));
    const b = buffer.sample(32, createRng(9, 'same'));
    const c = buffer.sample(32, createRng(10, 'same'));
    expect(Array.from(a.columns.batchIndexes)).toEqual(Array.from(b.columns.batchIndexes));
    expect(Array.from(a.columns.batchIndexes)).not.toEqual(Array.from(c.columns.batchIndexes));
  });

  it('rejects a batch whose columns differ from the first batch, naming the column', () => {
    const buffer = new ReplayBuffer<ColumnSet>({ capacity: 10 });
    buffer.add(rows(0, 2));
    const { actionProb: _dropped, ...withoutProb } = rows(2, 2).columns;
    const { actionProb: _w, ...widthsWithoutProb } = rows(2, 2).widths;
    expect(() => buffer.add(new SampleBatch(2, widthsWithoutProb, withoutProb))).toThrow(
      'Replay buffer: the batch lacks column "actionProb"; the buffer stores obs, nextObs, actions',
    );
    const extra = rows(2, 2).withColumns({ vfPreds: 1 }, { vfPreds: new Float32Array(2) });
    expect(() => buffer.add(extra)).toThrow('the batch has column(s) "vfPreds" the buffer does not store');
    const base = rows(2, 2);
    const wrongType = new SampleBatch(2, base.widths, { ...base.columns, rewards: new Float64Array(2) });
    expect(() => buffer.add(wrongType)).toThrow('column "rewards" is a Float64Array, the buffer stores it as Float32Array');
    const wrongWidth = new SampleBatch(2, { ...base.widths, obs: 3 }, { ...base.columns, obs: new Float32Array(6) });
    expect(() => buffer.add(wrongWidth)).toThrow('column "obs" has width 3, the buffer stores width 2');
    expect(() => buffer.add(wrongWidth)).toThrow(DataError);
    expect(buffer.numAdded).toBe(2);
  });

  it('refuses the columns it writes itself, and a sample of an empty buffer', () => {
    const buffer = new ReplayBuffer<ColumnSet>({ capacity: 10 });
    expect(() => buffer.sample(1, createRng(1))).toThrow('ReplayBuffer.sample: the buffer is empty; add() batches before sampling');
    expect(buffer.sample(0, createRng(1)).count).toBe(0);
    const weighted = rows(0, 2).withColumns({ weights: 1 }, { weights: new Float32Array(2) });
    expect(() => buffer.add(weighted)).toThrow('column "weights" is reserved (sample() writes it)');
    buffer.add(rows(0, 2));
    expect(() => buffer.sample(-1, createRng(1))).toThrow('numRows expected an integer >= 0, got -1');
    expect(() => buffer.sample(2.5, createRng(1))).toThrow(DataError);
  });

  it('rejects a capacity that is not an integer >= 1 with a ConfigError', () => {
    expect(() => new ReplayBuffer({ capacity: 0 })).toThrow(ConfigError);
    expect(() => new ReplayBuffer({ capacity: 0 })).toThrow(
      'replayBufferConfig: expected capacity to be an integer in [1, 2147483647] (got 0).',
    );
    expect(new ReplayBuffer().capacity).toBe(50_000);
  });

  it('restores from its plain-data state (even after a structured clone) and then samples and adds exactly as the original', () => {
    const original = new ReplayBuffer<Rows>({ capacity: 7 });
    original.add(rows(0, 9));
    const restored = new ReplayBuffer<Rows>({ capacity: 7 });
    restored.setState(structuredClone(original.getState()));
    expect(restored.size).toBe(7);
    expect(restored.numAdded).toBe(9);
    const a = original.sample(20, createRng(3, 'restore'));
    const b = restored.sample(20, createRng(3, 'restore'));
    expect(b.columns).toEqual(a.columns);
    original.add(rows(9, 3));
    restored.add(rows(9, 3));
    expect(restored.getState()).toEqual(original.getState());
  });

  it('restores an empty buffer and then accepts a batch with any columns', () => {
    const restored = new ReplayBuffer<Rows>({ capacity: 3 });
    restored.setState(new ReplayBuffer<Rows>({ capacity: 3 }).getState());
    expect(restored.size).toBe(0);
    restored.add(rows(0, 2));
    expect(storedIds(restored)).toEqual([0, 1]);
  });

  it('rejects a state that does not fit with a CheckpointError saying what differs', () => {
    const source = new ReplayBuffer<Rows>({ capacity: 6 });
    source.add(rows(0, 4));
    const state = source.getState();
    expect(() => new ReplayBuffer<Rows>({ capacity: 8 }).setState(state)).toThrow(CheckpointError);
    expect(() => new ReplayBuffer<Rows>({ capacity: 8 }).setState(state)).toThrow(
      'Replay buffer state: it was saved with capacity 6, this buffer has capacity 8',
    );
    const target = new ReplayBuffer<Rows>({ capacity: 6 });
    expect(() => target.setState({ ...state, columns: { ...state.columns, obs: new Float32Array(3) } })).toThrow(
      'column "obs" has 3 numbers, expected 4 rows × 2 = 8',
    );
    const { t: _t, ...withoutT } = state.columns;
    expect(() => target.setState({ ...state, columns: withoutT })).toThrow('column "t" is missing');
    expect(() => target.setState({ ...state, nextIndex: 1 })).toThrow('nextIndex 1 does not fit size 4 and capacity 6');
    expect(() => target.setState({ ...state, numAdded: 2 })).toThrow('numAdded 2 is not an integer >= size 4');
    expect(() => target.setState({ ...state, kind: 'PrioritizedReplayBuffer' } as never)).toThrow(
      'ReplayBuffer.setState: expected the state of a ReplayBuffer, got one of kind PrioritizedReplayBuffer',
    );
    // A rejected state changes nothing.
    expect(target.size).toBe(0);
  });
});
