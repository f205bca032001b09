import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError, ConfigError, MultiDiscrete, makeEnv } from '@loomrl/core';
import { afterEach, describe, expect, it } from 'vitest';
import '../register.js';
import { evaluatePolicy } from '../baselines/evaluate.js';
import { createTestEnvironment, TEST_Q_GAMMA_HALF, TEST_REWARDS } from './__fixtures__/testEnvironment.js';
import { agentPolicy } from './adapters.js';
import { AbstractEpisodicRecommenderAgent, type AgentObservation, type Slate } from './agent.js';
import { ClusterBanditAgent } from './clusterBanditAgent.js';
import { GreedyPCTRAgent } from './greedyPctrAgent.js';
import { ClusterClickStatsLayer } from './layers/clusterClickStats.js';
import { RandomAgent } from './randomAgent.js';
import { EvalRunner, readRunnerMetrics, TrainRunner } from './runner.js';
import { TabularQAgent } from './tabularQAgent.js';
import { digitize } from './utils.js';

const IEXP = 'RecSim/InterestExploration-v0';
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loomrl-recsim-agents-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const docsOf = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, k) => [String(k), k]));

describe('RandomAgent', () => {
  it('shows a uniformly random ordered slate of distinct candidates', () => {
    const agent = new RandomAgent({ actionSpace: new MultiDiscrete([5, 5]), randomSeed: 0 });
    const counts = new Map<string, number>();
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const slate = agent.step(0, { user: null, doc: docsOf(5), response: null });
      expect(new Set(slate).size).toBe(2);
      counts.set(slate.join(','), (counts.get(slate.join(',')) ?? 0) + 1);
    }
    expect(counts.size).toBe(20);
    for (const n of counts.values()) expect(Math.abs(n / draws - 1 / 20)).toBeLessThan(0.008);
  });

  it('counts episodes and bundles them', () => {
    const agent = new RandomAgent({ actionSpace: new MultiDiscrete([3, 3]) });
    agent.beginEpisode({ user: null, doc: docsOf(3), response: null });
    expect(agent.bundleAndCheckpoint('', 0)).toEqual({ episode_num: 1 });
    expect(agent.unbundle('', 0, {})).toBe(false);
    expect(agent.unbundle('', 0, { episode_num: 7 })).toBe(true);
    expect(agent.episodeNum).toBe(7);
    expect(() => new RandomAgent({ actionSpace: makeEnv(IEXP, { convertToDiscreteActionSpace: true }).actionSpace })).toThrow(ConfigError);
  });
});

describe('GreedyPCTRAgent', () => {
  it("shows the S most clickable documents under its belief, ties to the lower position (RecSim's [4, 2, 6, 3])", () => {
    const scores = [-1, -2, 4.32, 0, 15, -6, 4.32];
    const agent = new GreedyPCTRAgent({
      actionSpace: new MultiDiscrete([7, 7, 7, 7]),
      beliefState: { scoreDocument: (d) => scores[d as number] as number },
    });
    expect(agent.step(0, { user: null, doc: docsOf(7), response: null })).toEqual([4, 2, 6, 3]);
  });
});

describe('TabularQAgent', () => {
  it('bins Box values like numpy digitize(x, linspace(low, high, bins))', () => {
    expect([
      digitize(-1, 0, 10, 100),
      digitize(0, 0, 10, 100),
      digitize(10 - 1e-4, 0, 10, 100),
      digitize(10, 0, 10, 100),
      digitize(11, 0, 10, 100),
    ]).toEqual([0, 1, 99, 100, 100]);
    expect(digitize(10 / 99 + 1e-9, 0, 10, 100)).toBe(2);
  });

  /** Drives `agent` for `steps` steps of the fixture MDP (which never ends), calling `beforeStep(i)` first. */
  function drive(agent: TabularQAgent, env: ReturnType<typeof createTestEnvironment>, steps: number, beforeStep?: (i: number) => void) {
    const first = env.reset({ seed: 3 }).obs as AgentObservation;
    let slate = agent.beginEpisode({ ...first, response: null });
    for (let i = 0; i < steps; i++) {
      beforeStep?.(i);
      const result = env.step(Int32Array.from(slate));
      slate = agent.step(result.reward, result.obs as AgentObservation);
    }
  }

  it('learns Q ← lr·(r + γ·max Q) + (1 − lr)·Q: with γ 0 and lr 0.8, Q equals the reward table after 1000 steps', () => {
    const env = createTestEnvironment(10, 1);
    const spaces = { observationSpace: env.observationSpace, actionSpace: env.actionSpace };
    const agent = new TabularQAgent({ ...spaces, learningRate: 0.8, gamma: 0, randomSeed: 1 });
    const first = env.reset({ seed: 3 }).obs as AgentObservation;
    const slate = agent.beginEpisode({ ...first, response: null });
    const action = slate[0] as number;
    const result = env.step(Int32Array.from(slate));
    agent.step(result.reward, result.obs as AgentObservation);
    // The first update: 0.8·R[a][0] for the action shown in state 0.
    expect(agent.qTable.get(`${action % 4},0`)).toBeCloseTo(0.8 * ((TEST_REWARDS[action % 4] as number[])[0] as number), 12);
    drive(agent, env, 1000);
    for (let a = 0; a < 4; a++) {
      for (let s = 0; s < 6; s++) {
        const count = agent.counts.get(`${a},${s}`) ?? 0;
        if (count >= 12) expect(agent.qTable.get(`${a},${s}`) as number).toBeCloseTo((TEST_REWARDS[a] as number[])[s] as number, 7);
      }
    }
    expect(agent.counts.size).toBeGreaterThanOrEqual(20);
  });

  it("converges to RecSim's Q* table for γ = 0.5 with lr = 100/i (within 0.25)", () => {
    const env = createTestEnvironment(10, 1);
    const agent = new TabularQAgent({ observationSpace: env.observationSpace, actionSpace: env.actionSpace, gamma: 0.5, randomSeed: 2 });
    drive(agent, env, 50_000, (i) => {
      agent.learningRate = 100 / (i + 100);
    });
    for (let s = 0; s < 6; s++) {
      for (let a = 0; a < 4; a++) {
        expect(Math.abs((agent.qTable.get(`${a},${s}`) ?? Number.NaN) - ((TEST_Q_GAMMA_HALF[s] as number[])[a] as number))).toBeLessThan(
          0.25,
        );
      }
    }
  }, 60_000);

  it('learns the final reward of an episode (RecSim never does), decays ε per episode, and round-trips its bundle', () => {
    const env = createTestEnvironment(4, 1);
    const agent = new TabularQAgent({ observationSpace: env.observationSpace, actionSpace: env.actionSpace, learningRate: 1, gamma: 0.5 });
    const obs = env.reset({ seed: 1 }).obs as AgentObservation;
    const slate = agent.beginEpisode({ ...obs, response: null });
    const key = agent.keyOf({ ...obs, response: null }, slate);
    agent.endEpisode(7, env.step(Int32Array.from(slate)).obs as AgentObservation, true);
    expect(agent.qTable.get(key)).toBe(7);
    expect(agent.epsilon).toBeCloseTo(0.99 * 0.99, 12);
    const copy = new TabularQAgent({ observationSpace: env.observationSpace, actionSpace: env.actionSpace });
    expect(copy.unbundle('', 0, agent.bundleAndCheckpoint('', 0) as never)).toBe(true);
    expect(copy.qTable.get(key)).toBe(7);
    expect(copy.epsilon).toBe(agent.epsilon);
  });
});

/** The tutorial's stack: per-cluster click statistics under a UCB1 bandit over greedy cluster agents. */
const clusterBandit = (env: { observationSpace: never; actionSpace: never } | ReturnType<typeof makeEnv>) =>
  new ClusterClickStatsLayer((spaces) => new ClusterBanditAgent(spaces), {
    observationSpace: env.observationSpace,
    actionSpace: env.actionSpace,
  });

describe('the runner', () => {
  it('trains for iterations × steps, writes one metrics line per iteration (return, length, CTR, cluster shares) and checkpoints', async () => {
    const baseDir = await tempDir();
    const runner = new TrainRunner({
      baseDir,
      env: makeEnv(IEXP, { numCandidates: 6, slateSize: 2, horizon: 50 }),
      createAgent: (env) => clusterBandit(env),
      maxTrainingSteps: 120,
      numIterations: 3,
      seed: 1,
      episodeLogFile: 'episodes.jsonl',
    });
    const lines = await runner.runExperiment();
    expect(lines.map((l) => [l.iteration, l.totalSteps, l.episodes])).toEqual([
      [0, 150, 3],
      [1, 300, 3],
      [2, 450, 3],
    ]);
    const read = await readRunnerMetrics(join(baseDir, 'train', 'metrics.jsonl'));
    expect(read).toEqual(lines);
    for (const line of read) {
      expect(line.AverageEpisodeLength).toBe(50);
      expect(line.AverageEpisodeRewards).toBeCloseTo((line.CTR as number) * 50, 9);
      const shares = Object.keys(line).filter((k) => k.startsWith('cluster_watch_count_frac/'));
      expect(shares.reduce((a, k) => a + (line[k] as number), 0)).toBeCloseTo(1, 9);
    }
    expect((await readdir(join(baseDir, 'train', 'checkpoints'))).sort()).toEqual([
      'ckpt.0',
      'ckpt.1',
      'ckpt.2',
      'sentinel_checkpoint_complete.0',
      'sentinel_checkpoint_complete.1',
      'sentinel_checkpoint_complete.2',
    ]);
    const evaluation = await new EvalRunner({
      baseDir,
      env: makeEnv(IEXP, { numCandidates: 6, slateSize: 2, horizon: 50 }),
      createAgent: (env) => clusterBandit(env),
      maxEvalEpisodes: 4,
      testMode: true,
    }).runExperiment();
    expect(evaluation.map((l) => [l.phase, l.iteration, l.totalSteps, l.episodes])).toEqual([['eval', 2, 450, 4]]);
    expect(await readdir(join(baseDir, 'eval_4'))).toContain('returns_450');
  });

  it('resumes from the newest checkpoint at the next iteration and its step count', async () => {
    const baseDir = await tempDir();
    const options = {
      baseDir,
      env: makeEnv(IEXP, { numCandidates: 6, slateSize: 2, horizon: 20 }),
      createAgent: (env: ReturnType<typeof makeEnv>) => clusterBandit(env),
      maxTrainingSteps: 20,
    };
    await new TrainRunner({ ...options, numIterations: 2 }).runExperiment();
    const resumed = await new TrainRunner({ ...options, numIterations: 4 }).runExperiment();
    expect(resumed.map((l) => [l.iteration, l.totalSteps])).toEqual([
      [2, 60],
      [3, 80],
    ]);
  });

  it('refuses an agent returning an out-of-range slate, naming it', async () => {
    class Broken extends AbstractEpisodicRecommenderAgent {
      step(): Slate {
        return [0, 9];
      }
    }
    const runner = new TrainRunner({
      baseDir: await tempDir(),
      env: makeEnv(IEXP, { numCandidates: 4, slateSize: 2 }),
      createAgent: (env) => new Broken(env.actionSpace),
      maxTrainingSteps: 10,
      numIterations: 1,
    });
    await expect(runner.runExperiment()).rejects.toThrow(ActionError);
    await expect(runner.runExperiment()).rejects.toThrow(
      /Broken returned the slate \[0,9\]; expected 1 to 2 integer candidate positions in \[0, 4\)/,
    );
  });

  it('refuses an env without the structured RecSim observation', () => {
    expect(
      () =>
        new TrainRunner({
          baseDir: 'x',
          env: makeEnv(IEXP, { flattenObservations: true }),
          createAgent: (env) => new RandomAgent(env),
        }),
    ).toThrow(/Dict\(user, doc, response\)/);
  });
});

describe('a RecSim agent as a LoomRL evaluation policy', () => {
  it('evaluates the cluster bandit stack with evaluatePolicy, episode by episode', async () => {
    const result = await evaluatePolicy({
      envId: IEXP,
      envConfig: { numCandidates: 10, slateSize: 2, horizon: 100 },
      policy: agentPolicy((spaces) => new ClusterClickStatsLayer((s) => new ClusterBanditAgent(s), spaces)),
      episodes: 20,
    });
    const random = await evaluatePolicy({
      envId: IEXP,
      envConfig: { numCandidates: 10, slateSize: 2, horizon: 100 },
      policy: 'random',
      episodes: 20,
    });
    expect(result.meanLength).toBe(100);
    // The bandit learns each user's favourite topic and shows its best documents: more clicks than random.
    expect(result.meanReturn).toBeGreaterThan(random.meanReturn);
  });
});
