import { LearnerError } from '@loomrl/core';
import { LearnerThreadPool, liveLearnerThreads, shardBounds } from '@loomrl/core/internal';
import { afterEach, describe, expect, it } from 'vitest';

const FIXTURE = new URL('./__fixtures__/learnerThreadFixture.mjs', import.meta.url);
const pools: LearnerThreadPool[] = [];

async function startPool(helpers: number) {
  const shared = (n: number) => new Float64Array(new SharedArrayBuffer(8 * n));
  const [out, shards, taken] = [shared(helpers), shared(8), shared(helpers)];
  const pool = await LearnerThreadPool.start(FIXTURE, helpers, () => ({ out: out.buffer, shards: shards.buffer, taken: taken.buffer }));
  pools.push(pool);
  return { pool, out, shards, taken };
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('learner threads', () => {
  it('splits rows into contiguous shards whose sizes depend only on the row and shard counts', () => {
    expect([0, 1, 2].map((s) => shardBounds(10, 3, s))).toEqual([
      { start: 0, count: 4 },
      { start: 4, count: 3 },
      { start: 7, count: 3 },
    ]);
    expect([0, 1].map((s) => shardBounds(128, 2, s))).toEqual([
      { start: 0, count: 64 },
      { start: 64, count: 64 },
    ]);
    expect(shardBounds(1, 2, 1)).toEqual({ start: 1, count: 0 });
  });

  it('runs a broadcast once on every helper, with the messages queued for it, and waits for all', async () => {
    const { pool, out } = await startPool(2);
    for (let round = 0; round < 100; round++) {
      pool.send(1, 0.5);
      pool.broadcast(1);
      pool.wait();
    }
    expect(Array.from(out)).toEqual([100, 250]);
  });

  it('has every shard of a sharded command computed exactly once, by a helper or by the caller', async () => {
    const { pool, shards, taken } = await startPool(2);
    let byCaller = 0;
    for (let round = 0; round < 300; round++) {
      shards.fill(-1);
      pool.shard(4, 5);
      shards[0] = 0; // the caller's shard
      // Every other round the caller claims at once, racing the helpers for shards.
      if (round % 2 === 0) {
        for (let k = pool.claim(); k >= 0; k = pool.claim()) {
          shards[k] = 10 * k;
          byCaller += 1;
          pool.complete();
        }
      }
      pool.waitShards();
      expect(Array.from(shards.subarray(0, 6))).toEqual([0, 10, 20, 30, 40, -1]);
      // Broadcasts and sharded commands mix.
      if (round % 50 === 0) {
        pool.broadcast(1);
        pool.wait();
      }
    }
    expect(byCaller + (taken[0] as number) + (taken[1] as number)).toBe(300 * 4);
  });

  it("reports a helper's exception as a LearnerError naming the thread and the cause", async () => {
    const { pool } = await startPool(1);
    pool.broadcast(2);
    const error = (() => {
      try {
        pool.wait();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(LearnerError);
    expect((error as LearnerError).code).toBe('LEARNER_THREAD_FAILED');
    expect((error as LearnerError).message).toMatch(/learner thread 1 failed: Error: boom in helper 0/);
    // A failed pool stays failed.
    expect(() => pool.broadcast(1)).toThrow(/boom in helper 0/);
  });

  it('reports a helper that exits during a command at once, and one that was killed at the next command', async () => {
    const { pool } = await startPool(2);
    pool.shard(3, 3);
    const started = performance.now();
    expect(() => pool.waitShards()).toThrow(/exited \(code 7\) during a command/);
    expect(performance.now() - started).toBeLessThan(10_000);
    const second = await startPool(1);
    await second.pool.crashHelperForTest(0);
    expect(() => second.pool.broadcast(1)).toThrow(
      expect.objectContaining({ code: 'LEARNER_THREAD_FAILED', message: expect.stringMatching(/exited/) }),
    );
  });

  it('ends its threads on close', async () => {
    const before = liveLearnerThreads();
    const { pool } = await startPool(2);
    expect(liveLearnerThreads()).toBe(before + 2);
    await pool.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(liveLearnerThreads()).toBe(before);
    expect(() => pool.broadcast(1)).toThrow(LearnerError);
  });
});
