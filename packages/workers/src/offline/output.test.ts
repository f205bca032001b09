import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PPOConfig } from '@loomrl/algorithms';
import { ACTOR_CRITIC_KIND, createRng, type SampleBatch, type TransitionColumns } from '@loomrl/core';
import { actorCriticNetwork, initialWeights, spaceFromJSON, weightLayout } from '@loomrl/core/internal';
import { readAllLines, WorkerSet } from '@loomrl/workers';
import { resolveInputFiles } from '@loomrl/workers/internal';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'loomrl-output-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Samples `rounds` rounds on a WorkerSet writing to `dir`; returns the batches it handed back. */
async function sampleAndWrite(dir: string, workers: number, rounds: number, extra: Partial<{ outputCompressColumns: string[] }> = {}) {
  const config = new PPOConfig()
    .environment({ env: 'CartPole-v1' })
    .rollouts({ numRolloutWorkers: workers, numEnvsPerWorker: 2, rolloutFragmentLength: 30 })
    .offlineData({ output: dir, outputMaxFileSize: 6_000, ...extra })
    .debugging({ seed: 5 });
  const set = new WorkerSet(config.settingsForWorkers(), { inEvaluation: false });
  try {
    await set.ready();
    const spaces = set.spaces();
    if (spaces === undefined) throw new Error('no spaces');
    const spec = {
      kind: ACTOR_CRITIC_KIND,
      observationSpace: spaces.observationSpace.toJSON(),
      actionSpace: spaces.actionSpace.toJSON(),
      config: { hiddens: [8], activation: 'tanh', vfShareLayers: false, freeLogStd: false },
    };
    await set.setModules({ default: spec });
    const policy = initialWeights(weightLayout(actorCriticNetwork(spec)), createRng(1, 'w'));
    await set.syncState({ version: 0, timestep: 0, modules: { default: { policy } } });
    const batches: SampleBatch<TransitionColumns>[] = [];
    for (let i = 0; i < rounds; i++) batches.push(...((await set.sample(1)).batches.default ?? []));
    return { batches, spaces };
  } finally {
    await set.stop();
  }
}

const rowKey = (c: TransitionColumns, r: number) => `${c.epsId[r]}/${c.t[r]}`;

describe('offlineData({ output })', () => {
  it('writes every row sampled by 2 remote workers exactly once, in files named and rolled over as RLlib does', async () => {
    const dir = tempDir();
    const { batches, spaces } = await sampleAndWrite(dir, 2, 8);
    const files = readdirSync(dir).sort();
    expect(files.every((f) => /^output-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d_worker-[12]_\d+\.json$/.test(f))).toBe(true);
    // 8 lines of 60 rows per worker, rolled over at 6 000 characters: several files per worker.
    expect(files.filter((f) => f.includes('_worker-1_')).length).toBeGreaterThan(1);
    expect(files.filter((f) => f.includes('_worker-2_')).length).toBeGreaterThan(1);
    const context = {
      observationSpace: spaces.observationSpace,
      actionSpace: spaces.actionSpace,
      requiredColumns: ['obs', 'nextObs', 'actions', 'rewards', 'actionLogp', 'actionProb'],
      actionsInInputNormalized: false,
      normalizeActions: true,
      clipActions: false,
    };
    const written = new Map<string, { obs: number[]; next: number[]; action: number; reward: number; logp: number }>();
    let rows = 0;
    for (const batch of readAllLines(resolveInputFiles(dir, 'test'), context)) {
      const c = batch.columns as TransitionColumns & { actionLogp: Float32Array; actionProb: Float32Array };
      for (let r = 0; r < batch.count; r++) {
        rows += 1;
        expect(written.has(rowKey(c, r))).toBe(false);
        expect(c.actionProb[r]).toBeCloseTo(Math.exp(c.actionLogp[r] as number), 6);
        written.set(rowKey(c, r), {
          obs: Array.from(c.obs.subarray(r * 4, r * 4 + 4)),
          next: Array.from(c.nextObs.subarray(r * 4, r * 4 + 4)),
          action: c.actions[r] as number,
          reward: c.rewards[r] as number,
          logp: c.actionLogp[r] as number,
        });
      }
    }
    const sampled = batches.reduce((n, b) => n + b.count, 0);
    expect(sampled).toBe(2 * 8 * 60);
    expect(rows).toBe(sampled);
    for (const batch of batches) {
      const c = batch.columns as TransitionColumns & { actionLogp: Float32Array };
      for (let r = 0; r < batch.count; r++) {
        const row = written.get(rowKey(c, r));
        expect(row).toEqual({
          obs: Array.from(c.obs.subarray(r * 4, r * 4 + 4)),
          next: Array.from(c.nextObs.subarray(r * 4, r * 4 + 4)),
          action: c.actions[r],
          reward: c.rewards[r],
          logp: c.actionLogp[r],
        });
      }
    }
  });

  it("writes RLlib's column names, compact obs/new_obs by default and plain lists when no column is compressed", async () => {
    const compact = tempDir();
    const plain = tempDir();
    await sampleAndWrite(compact, 0, 1);
    await sampleAndWrite(plain, 0, 1, { outputCompressColumns: [] });
    const firstLine = (dir: string) => JSON.parse(readFileSync(join(dir, readdirSync(dir)[0] as string), 'utf8').split('\n')[0] as string);
    const a = firstLine(compact);
    const b = firstLine(plain);
    expect(Object.keys(b).sort()).toEqual(
      [
        'type',
        'obs',
        'new_obs',
        'actions',
        'rewards',
        'terminateds',
        'truncateds',
        'eps_id',
        't',
        'action_logp',
        'action_dist_inputs',
        'action_prob',
      ].sort(),
    );
    expect(b.type).toBe('SampleBatch');
    expect(a.obs).toMatchObject({ __nd__: 1, dtype: 'float32', shape: [60, 4] });
    expect(typeof a.obs.b64).toBe('string');
    expect(b.obs).toHaveLength(60);
    expect(b.obs[0]).toHaveLength(4);
    expect(Number.isInteger(b.actions[0])).toBe(true);
    expect(typeof b.terminateds[0]).toBe('boolean');
    expect(spaceFromJSON({ type: 'Discrete', n: 2, start: 0 }).contains(b.actions[0])).toBe(true);
  });
});
