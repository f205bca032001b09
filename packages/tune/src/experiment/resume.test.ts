import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExperimentState, readExperimentState } from '../storage/experimentState.js';

const fixture = fileURLToPath(new URL('../__fixtures__/killableExperiment.mjs', import.meta.url));
const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function runFixture(storagePath: string, resume: boolean) {
  const child = spawn(process.execPath, [fixture, storagePath, resume ? 'resume' : 'fresh'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += String(d);
  });
  child.stderr.on('data', (d) => {
    out += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => out };
}

async function iterationsOf(dir: string): Promise<number[]> {
  const text = await readFile(join(dir, 'result.json'), 'utf8').catch(() => '');
  return text
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => (JSON.parse(l) as { trainingIteration: number }).trainingIteration);
}

describe('resume', () => {
  it('continues an experiment whose process was killed with SIGKILL, with no trial lost or repeated', async () => {
    const storagePath = await mkdtemp(join(tmpdir(), 'loomrl-resume-'));
    roots.push(storagePath);
    const dir = join(storagePath, 'killed');
    const first = runFixture(storagePath, false);
    // Kill once one trial has finished and a running one has gone past its checkpoint.
    let state: ExperimentState | undefined;
    const deadline = Date.now() + 90_000;
    for (;;) {
      state = await readExperimentState(dir).catch(() => undefined);
      const done = state?.trials.some((t) => t.status === 'TERMINATED');
      const pastCheckpoint = state?.trials.some(
        (t) => t.status === 'RUNNING' && t.checkpoints.length > 0 && Number(t.lastResult?.trainingIteration) % 2 === 1,
      );
      if (done && pastCheckpoint) break;
      if (Date.now() > deadline) throw new Error(`never reached the kill point: ${first.output()}`);
      await sleep(20);
    }
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const killedAt = (await readExperimentState(dir)) as ExperimentState;
    // The killed runner's trial processes end on their own.
    const trialPids = killedAt.trials.filter((t) => t.status === 'RUNNING').map((t) => t.pid as number);
    for (let i = 0; i < 100 && trialPids.some(isAlive); i++) await sleep(100);
    expect(trialPids.filter(isAlive)).toEqual([]);

    const finished = killedAt.trials.filter((t) => t.status === 'TERMINATED');
    const finishedFiles = await Promise.all(finished.map((t) => readFile(join(dir, t.dirName, 'result.json'), 'utf8')));
    const interrupted = killedAt.trials.filter((t) => t.status === 'RUNNING');
    expect(interrupted.some((t) => t.checkpoints.length > 0)).toBe(true);

    const second = runFixture(storagePath, true);
    expect((await second.exited).code, second.output()).toBe(0);
    const after = (await readExperimentState(dir)) as ExperimentState;
    expect(after.trials.map((t) => t.trialId)).toEqual(killedAt.trials.map((t) => t.trialId));
    expect(after.trials.map((t) => t.status)).toEqual(Array(4).fill('TERMINATED'));
    for (const trial of after.trials) expect(await iterationsOf(join(dir, trial.dirName))).toEqual([1, 2, 3, 4, 5, 6]);
    // Finished trials are untouched; interrupted ones continued from their checkpoint (not from scratch).
    const again = await Promise.all(finished.map((t) => readFile(join(dir, t.dirName, 'result.json'), 'utf8')));
    expect(again).toEqual(finishedFiles);
    for (const trial of interrupted) {
      const rows = (await readFile(join(dir, trial.dirName, 'result.json'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const restoredAt = Math.max(0, ...trial.checkpoints.map((c) => c.iteration));
      expect(rows.map((r) => r.iterationsSinceRestore)).toEqual([1, 2, 3, 4, 5, 6].map((i) => (i <= restoredAt ? i : i - restoredAt)));
    }
    const trialDirs = (await readdir(dir)).filter((n) => n.startsWith('PPO_'));
    expect(trialDirs).toHaveLength(4);
  });
});
