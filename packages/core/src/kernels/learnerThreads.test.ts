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

  it('has every shard of a sharded command taken once, from a helper or computed by the caller', async () => {
    const { pool, shards, taken } = await startPool(2);
    let byCaller = 0;
    for (let round = 0; round < 300; round++) {
      shards.fill(-1);
      pool.shard(4, 3);
      // Shard 0 is the caller's; every other round it takes the others at once, racing the helpers.
      if (round % 2 === 1) {
        const until = performance.now() + 0.3;
        while (performance.now() < until);
      }
      for (let k = 1; k < 3; k++) {
        const helper = pool.takeShard(k);
        if (helper < 0) byCaller += 1;
        else expect(shards[k], `round ${round}, shard ${k} from helper ${helper}`).toBe(10 * k);
      }
      pool.finishShards();
      // Broadcasts and sharded commands mix.
      if (round % 50 === 0) {
        pool.broadcast(1);
        pool.wait();
      }
    }
    // Helpers took some shards (they may also have computed some the caller took over).
    expect((taken[0] as number) + (taken[1] as number)).toBeGreaterThan(0);
    expect(byCaller).toBeLessThan(600);
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
    const busyUntil = performance.now() + 50; // the caller's own shard: the helpers claim theirs meanwhile
    while (performance.now() < busyUntil);
    // The caller takes over the shards of helpers that stop; the exit is reported by then or with the next command.
    const report = (() => {
      try {
        for (let k = 1; k < 3; k++) pool.takeShard(k);
        pool.finishShards();
      } catch (error) {
        return error;
      }
    })();
    if (report === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(() => pool.broadcast(1)).toThrow(/exited \(code 7\)/);
    } else expect((report as LearnerError).message).toMatch(/exited \(code 7\)/);
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
