import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeEnv } from '@loomrl/core';
import { readRunnerMetrics } from '@loomrl/envs';
import { afterAll, describe, expect, it } from 'vitest';
import { EDUCATIVENESS_ENV_ID } from './educativenessEnv.js';

const run = promisify(execFile);

describe('the educativeness env of the cluster-bandit tutorial', () => {
  it('clicks exactly one document per step, rewards its engagement and ends after 60 steps', () => {
    const env = makeEnv(EDUCATIVENESS_ENV_ID, {});
    let { obs } = env.reset({ seed: 3 });
    let steps = 0;
    for (let done = false; !done; steps++) {
      const docs = Object.values((obs as { doc: Record<string, { clusterId: number }> }).doc);
      expect(docs).toHaveLength(10);
      const step = env.step(Int32Array.of(0, 1, 2));
      const responses = (step.obs as { response: { click: number; engagement: Float32Array; clusterId: number }[] }).response;
      expect(responses.map((r) => r.click).reduce((a, b) => a + b, 0)).toBe(1);
      const clicked = responses.find((r) => r.click === 1) as { engagement: Float32Array };
      expect(step.reward).toBeCloseTo(clicked.engagement[0] as number, 2);
      expect(responses.map((r) => r.clusterId)).toEqual([0, 1, 2].map((i) => (docs[i] as { clusterId: number }).clusterId));
      obs = step.obs;
      done = step.terminated;
    }
    expect(steps).toBe(60);
  });
});

describe('examples/recsim-agents.ts (the cluster-bandit tutorial)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('trains 20 × 100 steps and writes metrics lines a plot reads, with per-cluster click shares and checkpoints', async () => {
    const out = await mkdtemp(join(tmpdir(), 'loomrl-recsim-agents-test-'));
    dirs.push(out);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'recsim-agents.ts'], {
      cwd: import.meta.dirname,
      env: { ...process.env, OUT: out },
    });
    expect(stdout).toMatch(/cluster bandit\s+\d+\.\d/);
    for (const agent of ['clusterBandit', 'random']) {
      const lines = await readRunnerMetrics(join(out, agent, 'train', 'metrics.jsonl'));
      expect(lines.map((l) => l.iteration)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      for (const line of lines) {
        expect(line.episodes).toBe(2);
        expect(line.AverageEpisodeLength).toBe(60);
        expect(line.CTR).toBe(1);
        expect(line.AverageEpisodeRewards).toBeGreaterThan(300);
        const shares = [0, 1, 2, 3].map((k) => (line[`cluster_watch_count_frac/cluster_${k}`] as number | undefined) ?? 0);
        expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      }
    }
    expect(await readdir(join(out, 'clusterBandit', 'train', 'checkpoints'))).toContain('ckpt.19');
  }, 120_000);
});
