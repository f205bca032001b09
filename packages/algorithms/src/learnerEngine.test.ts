import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tfjsNodeResolvable } from '@loomrl/core/internal';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./__fixtures__/learnerBackendChild.mjs', import.meta.url));

async function trainIn(backend: string): Promise<{ backends: string[]; tfjsLoaded: boolean; finite: boolean }> {
  const { stdout } = await run(process.execPath, [child, backend]);
  return JSON.parse(stdout.trim().split('\n').at(-1) as string);
}

describe('the learner backend a fresh process trains on', () => {
  it("is LoomRL's WebAssembly kernels for 'loomrl', and for 'auto' without tfjs-node, and TensorFlow.js is never loaded", async () => {
    expect(await trainIn('loomrl')).toEqual({
      backends: Array(7).fill('loomrl'),
      tfjsLoaded: false,
      finite: true,
    });
    // Where tfjs-node is installed, 'auto' trains on it instead.
    const auto = tfjsNodeResolvable() ? 'tensorflow' : 'loomrl';
    expect(await trainIn('auto')).toEqual({
      backends: Array(7).fill(auto),
      tfjsLoaded: auto === 'tensorflow',
      finite: true,
    });
  }, 120_000);

  it("is TensorFlow.js's backend when one is named", async () => {
    expect(await trainIn('cpu')).toEqual({ backends: Array(7).fill('cpu'), tfjsLoaded: true, finite: true });
  }, 120_000);
});
