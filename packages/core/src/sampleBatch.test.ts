import { describe, expect, it } from 'vitest';
import { type ColumnSet, Columns, SampleBatch } from './sampleBatch.js';

type Small = { obs: Float32Array; rewards: Float64Array; terminateds: Uint8Array; t: Int32Array } & ColumnSet;

/** 4 rows: obs has width 2 (row r = [10r, 10r + 1]), the rest width 1. */
function small(): SampleBatch<Small> {
  return new SampleBatch<Small>(
    4,
    { obs: 2, rewards: 1, terminateds: 1, t: 1 },
    {
      obs: Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31]),
      rewards: Float64Array.from([0.5, 1.5, 2.5, 3.5]),
      terminateds: Uint8Array.from([0, 0, 0, 1]),
      t: Int32Array.from([0, 1, 2, 3]),
    },
  );
}

describe('SampleBatch', () => {
  it('names its columns as RLlib does, camelCased', () => {
    expect(Columns.OBS).toBe('obs');
    expect(Columns.ACTION_LOGP).toBe('actionLogp');
    expect(Columns.VALUE_TARGETS).toBe('valueTargets');
    expect(Columns.EPS_ID).toBe('epsId');
  });

  it('rejects a column whose length is not count × width, naming the column and the numbers', () => {
    expect(() => new SampleBatch(3, { obs: 2 }, { obs: new Float32Array(5) })).toThrow(
      'SampleBatch: column "obs" has length 5, expected 3 rows × 2 = 6',
    );
    expect(() => new SampleBatch(2, {} as { obs: number }, { obs: new Float32Array(2) })).toThrow(/column "obs" has no width/);
    expect(() => new SampleBatch(0, { obs: 3 }, { obs: new Float32Array(0) })).not.toThrow();
  });

  it('slice returns views of rows [start, end) that share memory with the batch', () => {
    const batch = small();
    const part = batch.slice(1, 3);
    expect(part.count).toBe(2);
    expect(Array.from(part.columns.obs)).toEqual([10, 11, 20, 21]);
    expect(Array.from(part.columns.rewards)).toEqual([1.5, 2.5]);
    expect(part.columns.obs.buffer).toBe(batch.columns.obs.buffer);
    part.columns.rewards[0] = -1;
    expect(batch.columns.rewards[1]).toBe(-1);
    expect(batch.slice(2, 2).count).toBe(0);
  });

  it('gather copies the rows at the indices, in that order, with repeats, keeping column types', () => {
    const batch = small();
    const picked = batch.gather([3, 0, 3]);
    expect(picked.count).toBe(3);
    expect(Array.from(picked.columns.obs)).toEqual([30, 31, 0, 1, 30, 31]);
    expect(Array.from(picked.columns.rewards)).toEqual([3.5, 0.5, 3.5]);
    expect(Array.from(picked.columns.terminateds)).toEqual([1, 0, 1]);
    expect(picked.columns.t).toBeInstanceOf(Int32Array);
    expect(picked.columns.terminateds).toBeInstanceOf(Uint8Array);
    expect(picked.columns.rewards).toBeInstanceOf(Float64Array);
    picked.columns.rewards[0] = 99;
    expect(batch.columns.rewards[3]).toBe(3.5);
    expect(batch.gather(new Int32Array(0)).count).toBe(0);
  });

  it('concat joins the rows of batches in order into new arrays', () => {
    const a = small();
    const b = small().slice(2, 4);
    const joined = SampleBatch.concat([a, b]);
    expect(joined.count).toBe(6);
    expect(Array.from(joined.columns.obs)).toEqual([0, 1, 10, 11, 20, 21, 30, 31, 20, 21, 30, 31]);
    expect(Array.from(joined.columns.t)).toEqual([0, 1, 2, 3, 2, 3]);
    expect(joined.columns.t).toBeInstanceOf(Int32Array);
    expect(joined.columns.obs.buffer).not.toBe(a.columns.obs.buffer);
    expect(joined.widths).toEqual(a.widths);
  });

  it('concat of one batch is that batch, and of none is an error', () => {
    const a = small();
    expect(SampleBatch.concat([a])).toBe(a);
    expect(() => SampleBatch.concat([])).toThrow(/at least one batch/);
  });

  it('concat names a column that a later batch lacks', () => {
    const a = small();
    const b = new SampleBatch(1, { obs: 2 }, { obs: new Float32Array(2) }) as unknown as SampleBatch<Small>;
    expect(() => SampleBatch.concat([a, b])).toThrow(/lacks column "rewards"/);
  });

  it('withColumns returns a wider batch sharing the old columns and checks the new ones', () => {
    const batch = small();
    const wider = batch.withColumns({ advantages: 1 }, { advantages: Float32Array.from([1, 2, 3, 4]) });
    expect(wider.count).toBe(4);
    expect(wider.columns.obs).toBe(batch.columns.obs);
    expect(Array.from(wider.columns.advantages)).toEqual([1, 2, 3, 4]);
    expect(wider.widths).toEqual({ obs: 2, rewards: 1, terminateds: 1, t: 1, advantages: 1 });
    // the original batch is not mutated
    expect('advantages' in batch.columns).toBe(false);
    expect(() => batch.withColumns({ advantages: 1 }, { advantages: new Float32Array(3) })).toThrow(/"advantages" has length 3/);
  });

  it('toData/fromData round-trips through a structured clone with the buffers transferred', () => {
    const batch = small();
    const data = batch.toData();
    const copy = structuredClone(data, { transfer: batch.transferables() });
    const rebuilt = SampleBatch.fromData(copy);
    expect(rebuilt.count).toBe(4);
    expect(rebuilt.widths).toEqual({ obs: 2, rewards: 1, terminateds: 1, t: 1 });
    expect(Array.from(rebuilt.columns.obs)).toEqual([0, 1, 10, 11, 20, 21, 30, 31]);
    expect(rebuilt.columns.rewards).toBeInstanceOf(Float64Array);
    // transferred, not copied: the sender's buffers are detached
    expect(batch.columns.obs.byteLength).toBe(0);
  });

  it('transferables lists each underlying buffer once, even when columns share one', () => {
    const shared = new ArrayBuffer(4 * 6);
    const batch = new SampleBatch(
      2,
      { obs: 2, vfPreds: 1, rewards: 1 },
      {
        obs: new Float32Array(shared, 0, 4),
        vfPreds: new Float32Array(shared, 16, 2),
        rewards: new Float32Array(2),
      },
    );
    const buffers = batch.transferables();
    expect(buffers).toHaveLength(2);
    expect(buffers).toContain(shared);
    expect(buffers).toContain(batch.columns.rewards.buffer);
    // a list with a duplicate would make postMessage throw; this one transfers cleanly
    expect(() => structuredClone(batch.toData(), { transfer: buffers })).not.toThrow();
  });

  it('a slice’s transferables are its parent’s buffers', () => {
    const batch = small();
    const part = batch.slice(0, 2);
    expect(new Set(part.transferables())).toEqual(new Set(batch.transferables()));
  });
});
