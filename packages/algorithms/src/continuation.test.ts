import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./__fixtures__/continueRun.mjs', import.meta.url));

async function child(mode: 'straight' | 'restore', kind: string, dir: string, workers: number): Promise<unknown> {
  const { stdout } = await run(process.execPath, [fixture, mode, kind, dir, String(workers)], { maxBuffer: 16 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string);
}

describe('a restored run', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it.each([
    ['DQN', 'dqn', 0],
    ['DQN', 'dqn', 2],
    ['PPO', 'ppo', 0],
    ['SAC', 'sac', 0],
    ['MARWIL', 'marwil', 0],
    ['CRR', 'crr', 0],
    ['SlateQ', 'slateq', 0],
    ['SlateQ', 'slateq', 2],
    ['Wolpertinger', 'wolpertinger', 0],
    ['Wolpertinger', 'wolpertinger', 2],
  ])(
    'of %s (%s, %i remote workers) continues in a fresh process bit for bit like the uninterrupted run',
    async (_name, kind, workers) => {
      const dir = join(await mkdtemp(join(tmpdir(), 'loomrl-continue-')), 'checkpoint');
      dirs.push(dir);
      const straight = await child('straight', kind as string, dir, workers as number);
      const restored = await child('restore', kind as string, dir, workers as number);
      expect(restored).toEqual(straight);
    },
    180_000,
  );
});
