import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('examples/recsim-slateq-lts.ts (learning regression, pnpm test:learning)', () => {
  it('beats always-sweet by >= 20 on the tutorial LTS user, paired over the same 200 real-env users (seed 0, 150k env steps)', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'recsim-slateq-lts.ts'], {
      cwd: import.meta.dirname,
      env: { ...process.env, SEED: '0', STEPS: '150000' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const paired = /SlateQ − always sweet \(paired over the same users\): (-?\d+(?:\.\d+)?) ± (\d+(?:\.\d+)?)/.exec(stdout);
    expect(paired, stdout.slice(-2000)).not.toBeNull();
    expect(Number(paired?.[1])).toBeGreaterThanOrEqual(20);
    const sweet = /always sweet\s+\|\s+(\d+(?:\.\d+)?)/.exec(stdout);
    expect(Math.abs(Number(sweet?.[1]) - 1163.45)).toBeLessThan(1);
  }, 1_800_000);
});
