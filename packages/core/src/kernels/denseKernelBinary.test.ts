import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const buildScript = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'kernels', 'build.mjs');

describe('the shipped dense-net kernel binary', () => {
  it('is exactly what the pinned AssemblyScript compiler builds from kernels/dense.ts', () => {
    const out = execFileSync(process.execPath, [buildScript, '--check'], { encoding: 'utf8' });
    expect(out).toContain('matches');
  }, 60_000);
});
