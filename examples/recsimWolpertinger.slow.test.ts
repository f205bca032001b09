import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('examples/recsim-wolpertinger.ts (learning regression, pnpm test:learning)', () => {
  it('reaches >= 90 % of the optimal argmaxW recommender on the accept/reject catalogue (seed 0, 8k steps, 2000 evaluation users each)', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'recsim-wolpertinger.ts'], {
      cwd: import.meta.dirname,
      env: { ...process.env, SEED: '0', STEPS: '8000', EPISODES: '2000', K: '2' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const share = /Wolpertinger \/ optimal: (\d+(?:\.\d+)?) %/.exec(stdout);
    expect(share, stdout.slice(-2000)).not.toBeNull();
    expect(Number(share?.[1])).toBeGreaterThanOrEqual(90);
  }, 1_800_000);
});
