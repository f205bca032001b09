import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tf } from '@loomrl/core/tf';
import { describe, expect, it } from 'vitest';
import { cartPolePPO } from './index.js';

const run = promisify(execFile);
const longRun = fileURLToPath(new URL('./__fixtures__/longRunMemory.mjs', import.meta.url));
const learnerThreadLoops = fileURLToPath(new URL('./__fixtures__/learnerThreadsLoops.mjs', import.meta.url));
const MiB = 1024 * 1024;

describe('memory of a long run', () => {
  it('keeps main-thread external + heap memory flat over 1000 iterations on 2 remote workers', async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', longRun, '1100', '100'], { maxBuffer: 1 << 20 });
    const report = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
      afterWarmup: { external: number; heapUsed: number };
      end: { external: number; heapUsed: number };
    };
    const growth = report.end.external + report.end.heapUsed - (report.afterWarmup.external + report.afterWarmup.heapUsed);
    expect(growth).toBeLessThan(2 * MiB);
  }, 180_000);

  it('keeps memory flat over build, train and stop loops on 2 learner threads, and leaves nothing that keeps the process alive', async () => {
    // execFile rejects on a timeout: a learner thread left running would keep the child from exiting.
    const { stdout } = await run(process.execPath, ['--expose-gc', learnerThreadLoops, '6'], { maxBuffer: 1 << 20, timeout: 90_000 });
    const loops = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { external: number; heapUsed: number }[];
    const total = (m: { external: number; heapUsed: number }) => m.external + m.heapUsed;
    expect(loops).toHaveLength(6);
    expect(total(loops[5] as (typeof loops)[0]) - total(loops[1] as (typeof loops)[0])).toBeLessThan(2 * MiB);
  }, 120_000);

  it('leaves no tfjs tensors behind after build, train and stop', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const algo = cartPolePPO({ seed: i }).training({ numSgdIter: 1, trainBatchSize: 256, sgdMinibatchSize: 128 }).build();
      await algo.train();
      await algo.stop();
      expect(tf.memory().numTensors).toBe(before);
    }
  }, 120_000);
});
