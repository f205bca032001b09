import { LearnerError } from '@loomrl/core';
import { LearnerThreadPool, liveLearnerThreads, shardBounds } from '@loomrl/core/internal';
import { afterEach, describe, expect, it } from 'vitest';

const FIXTURE = new URL('./__fixtures__/learnerThreadFixture.mjs', import.meta.url);
const pools: LearnerThreadPool[] = [];

async function startPool(helpers: number): Promise<{ pool: LearnerThreadPool; out: Float64Array }> {
  const out = new Float64Array(new SharedArrayBuffer(8 * helpers));
  const pool = await LearnerThreadPool.start(FIXTURE, helpers, () => ({ out: out.buffer }));
  pools.push(pool);
  return { pool, out };
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

  it('runs each command once on every helper, with the messages queued for it, and waits for all', async () => {
    const { pool, out } = await startPool(2);
    for (let round = 0; round < 100; round++) {
      pool.send(1, 0.5);
      pool.dispatch(1);
      pool.wait();
    }
    expect(Array.from(out)).toEqual([100, 250]);
  });

  it("reports a helper's exception as a LearnerError naming the thread and the cause", async () => {
    const { pool } = await startPool(1);
    pool.dispatch(2);
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
    expect(() => pool.dispatch(1)).toThrow(/boom in helper 0/);
  });

  it('reports a helper that exits during a command at once, and one that was killed at the next command', async () => {
    const { pool } = await startPool(2);
    pool.dispatch(3);
    const started = performance.now();
    expect(() => pool.wait()).toThrow(/exited \(code 7\) during a command/);
    expect(performance.now() - started).toBeLessThan(10_000);
    const second = await startPool(1);
    await second.pool.crashHelperForTest(0);
    expect(() => second.pool.dispatch(1)).toThrow(
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
    expect(() => pool.dispatch(1)).toThrow(LearnerError);
  });
});
