import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.testkit.js';

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

describe('loomrl train -f cartpole-ppo', () => {
  it("solves CartPole-v1 with the shipped YAML (training mean >= 475), leaves Tune's layout, and the checkpoint evaluates greedily >= 475", async () => {
    const root = await mkdtemp(join(tmpdir(), 'loomrl-solve-'));
    roots.push(root);
    const run = await runCli(['train', '-f', 'cartpole-ppo', '--storage-path', root], { timeoutMs: 900_000 });
    expect(run.code, run.stderr).toBe(0);
    const dir = join(root, 'cartpole-ppo');
    const trialDir = (await readdir(dir)).find((n) => n.startsWith('PPO_CartPole-v1_')) as string;
    const rows = (await readFile(join(dir, trialDir, 'result.json'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const last = rows.at(-1);
    expect(last.episodeRewardMean).toBeGreaterThanOrEqual(475);
    expect(last.done).toBe(true);
    const checkpoint = (await readdir(join(dir, trialDir))).find((n) => n.startsWith('checkpoint_')) as string;
    expect(checkpoint).toBe(`checkpoint_${String(last.trainingIteration).padStart(6, '0')}`);
    const evaluate = await runCli(['evaluate', join(dir, trialDir, checkpoint), '--episodes', '10', '--seed', '1']);
    expect(evaluate.code, evaluate.stderr).toBe(0);
    const mean = Number(/mean\/min\/max over 10 episodes: ([\d.]+)/.exec(evaluate.stdout)?.[1]);
    expect(mean).toBeGreaterThanOrEqual(475);
  });
});
