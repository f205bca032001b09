import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BCConfig, CRRConfig } from '@loomrl/algorithms';
import { Box, ConfigError, createRng, DataError, Discrete } from '@loomrl/core';
import { JsonReader, readAllLines } from '@loomrl/workers';
import { decodeLine, resolveInputFiles } from '@loomrl/workers/internal';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'loomrl-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const context = {
  observationSpace: new Box({ low: -10, high: 10, shape: [2] }),
  actionSpace: new Discrete(3),
  requiredColumns: ['obs', 'actions', 'rewards'],
  actionsInInputNormalized: false,
  normalizeActions: true,
  clipActions: false,
};

const line = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'SampleBatch',
    obs: [
      [0, 1],
      [2, 3],
    ],
    new_obs: [
      [2, 3],
      [4, 5],
    ],
    actions: [0, 2],
    rewards: [1, 0.5],
    terminateds: [false, true],
    truncateds: [false, false],
    eps_id: [7, 7],
    t: [0, 1],
    ...over,
  });

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('offline input', () => {
  it('reads plain-list RLlib lines: legacy dones, Python NaN tokens, MultiAgentBatch with one policy, no t / new_obs', () => {
    const legacy = `{"type": "MultiAgentBatch", "count": 2, "policy_batches": {"default_policy": {"obs": [[0, 1], [2, NaN]], "actions": [1, 1], "rewards": [1.0, 2.0], "dones": [false, true], "eps_id": [5, 5], "infos": [{}, {}]}}}`;
    const batch = decodeLine(legacy, 'rllib.json', 1, context, 0);
    const c = batch.columns;
    expect(batch.count).toBe(2);
    expect(Array.from(c.terminateds)).toEqual([0, 1]);
    expect(Array.from(c.truncateds)).toEqual([0, 0]);
    expect(Number.isNaN(c.obs[3])).toBe(true);
    expect(Array.from(c.t)).toEqual([0, 1]);
    // new_obs missing: the next row's obs within the episode, the last row's own.
    expect(Array.from(c.nextObs.subarray(0, 2))).toEqual([2, Number.NaN]);
  });

  it('normalises Box actions to [-1, 1] unless actionsInInputNormalized, and clips with clipActions', () => {
    const box = { ...context, actionSpace: new Box({ low: -2, high: 2, shape: [1] }) };
    const text = line({ actions: [[-2], [1]] });
    expect(Array.from(decodeLine(text, 'f', 1, box, 0).columns.actions)).toEqual([-1, 0.5]);
    expect(Array.from(decodeLine(text, 'f', 1, { ...box, actionsInInputNormalized: true }, 0).columns.actions)).toEqual([-2, 1]);
    expect(() => decodeLine(line({ actions: [[-3], [1]] }), 'f.json', 4, box, 0)).toThrow(
      /f\.json:4: row 0 has action \[-3\], which is not in the action space Box/,
    );
    expect(Array.from(decodeLine(line({ actions: [[-3], [1]] }), 'f', 1, { ...box, clipActions: true }, 0).columns.actions)).toEqual([
      -1, 0.5,
    ]);
  });

  it.each([
    ['a truncated line', line().slice(0, 60), /bad\.json:2: not a JSON line/],
    ['a line without type', JSON.stringify({ obs: [[0, 1]] }), /bad\.json:2: the line has no "type" key/],
    [
      'an action outside the space',
      line({ actions: [0, 3] }),
      /bad\.json:2: row 1 has action 3, which is not in the action space Discrete\(3\)/,
    ],
    [
      'observations of the wrong width',
      line({
        obs: [
          [0, 1, 2],
          [3, 4, 5],
        ],
      }),
      /bad\.json:2: "obs" rows have 3 numbers; the observation space Box\(.*\) flattens to 2/,
    ],
    ['columns of unequal length', line({ rewards: [1] }), /bad\.json:2: column "rewards" has 1 rows, "obs" has 2/],
    ["RLlib's pickled columns", line({ obs: 'BCJNGGhAAAAA' }), /bad\.json:2: column "obs" is a string: it is RLlib's lz4\+pickle packing/],
  ])('names the file and line of %s', (_what, bad, message) => {
    const path = file('bad.json', [line(), bad]);
    const lines = readAllLines([path], context);
    lines.next();
    expect(() => lines.next()).toThrow(DataError);
    expect(() => [...readAllLines([path], context)]).toThrow(message);
  });

  it('names the file and line of a row missing a column the run needs (action_prob for importance sampling)', () => {
    const path = file('noprob.json', [line({ action_prob: [0.5, 0.5] }), line()]);
    const needs = { ...context, requiredColumns: ['obs', 'actions', 'rewards', 'actionProb'] };
    expect(() => [...readAllLines([path], needs)]).toThrow(/noprob\.json:2: the line has no "action_prob" column, which this run needs/);
  });

  it('fails evaluate() with off-policy estimation on logs without action_prob, naming the file and line', async () => {
    const logs = file('no-prob-eval.json', [line(), line()]);
    const algo = new BCConfig()
      .environment({ observationSpace: new Box({ low: -10, high: 10, shape: [2] }), actionSpace: new Discrete(3) })
      .offlineData({ input: logs })
      .rollouts({ numRolloutWorkers: 0 })
      .training({ trainBatchSize: 4, model: { fcnetHiddens: [4] } })
      .evaluation({
        evaluationDuration: 1,
        evaluationConfig: { input: logs },
        offPolicyEstimationMethods: { is: { type: 'ImportanceSampling' } },
      })
      .build();
    try {
      await expect(algo.evaluate()).rejects.toThrow(/no-prob-eval\.json:1: the line has no "action_prob" column, which this run needs/);
    } finally {
      await algo.stop();
    }
  });

  it('reads whole lines until the batch size, then moves on to a random file (seeded), and stops at an empty glob', () => {
    const a = file('a.json', [line(), line(), line()]);
    file('b.json', [line({ rewards: [9, 9] })]);
    const reader = new JsonReader({
      files: resolveInputFiles(join(dir, '[ab].json'), 'test'),
      batchSize: 3,
      workerIndex: 0,
      numWorkers: 0,
      rng: createRng(1),
      context,
    });
    expect(reader.next().count).toBe(4);
    expect(reader.next().count).toBe(4);
    expect(resolveInputFiles(dir, 'test')).toContain(a);
    expect(() => resolveInputFiles(join(dir, 'nothing-*.json'), 'offlineData({ input })')).toThrow(ConfigError);
    expect(() => resolveInputFiles(join(dir, 'nothing-*.json'), 'offlineData({ input })')).toThrow(
      /offlineData\(\{ input \}\): no files match/,
    );
    reader.close();
  });

  it('reads episodes for evaluation: whole episodes across lines, the rest kept for the next read', () => {
    const ep = (id: number, rows: number, end: boolean) =>
      JSON.stringify({
        type: 'SampleBatch',
        obs: Array.from({ length: rows }, () => [0, 0]),
        actions: Array(rows).fill(1),
        rewards: Array(rows).fill(1),
        terminateds: Array.from({ length: rows }, (_, i) => end && i === rows - 1),
        eps_id: Array(rows).fill(id),
      });
    const path = file('episodes.json', [ep(1, 2, false), ep(1, 3, true), ep(2, 4, true), ep(3, 1, true)]);
    const reader = new JsonReader({ files: [path], batchSize: 1, workerIndex: 0, numWorkers: 0, rng: createRng(2), context });
    const first = reader.read('episodes', 1);
    expect(first.count).toBe(5);
    expect(new Set(first.columns.epsId)).toEqual(new Set([1]));
    const next = reader.read('episodes', 2);
    expect(Array.from(next.columns.epsId)).toEqual([2, 2, 2, 2, 3]);
    expect(reader.read('timesteps', 3).count).toBe(3);
    reader.close();
  });

  it('fails clearly for offline input with no env and no spaces, and an empty glob at train()', async () => {
    expect(() => new BCConfig().offlineData({ input: join(dir, 'a.json') }).build()).toThrow(
      /offlineData\(\{ input: .* \}\) without an env needs environment\(\{ observationSpace, actionSpace \}\) \(missing: observationSpace, actionSpace\)/,
    );
    expect(() => new BCConfig().build()).toThrow(/environment\(\{ env \}\) is not set/);
    const algo = new CRRConfig()
      .environment({ observationSpace: new Box({ low: -1, high: 1, shape: [2] }), actionSpace: new Discrete(3) })
      .offlineData({ input: join(dir, 'missing-*.json') })
      .rollouts({ numRolloutWorkers: 0 })
      .build();
    await expect(algo.train()).rejects.toThrow(/no files match/);
    await algo.stop();
  });

  it('trains without an env from spaces given in environment({ observationSpace, actionSpace }), on 2 reading workers', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => line({ eps_id: [i, i] }));
    const data = file('train.json', lines);
    const algo = new BCConfig()
      .environment({ observationSpace: new Box({ low: -10, high: 10, shape: [2] }), actionSpace: new Discrete(3) })
      .offlineData({ input: data })
      .rollouts({ numRolloutWorkers: 2 })
      .training({ trainBatchSize: 8, model: { fcnetHiddens: [8] } })
      .debugging({ seed: 3 })
      .build();
    try {
      const result = await algo.train();
      expect(result.numEnvStepsSampledThisIter).toBe(8);
      expect(result.numHealthyWorkers).toBe(2);
      expect(Number.isFinite(result.learnerStats.policyLoss)).toBe(true);
      expect(algo.computeSingleAction(Float32Array.of(0, 1), { explore: false })).toBeTypeOf('number');
    } finally {
      await algo.stop();
    }
  });
});
