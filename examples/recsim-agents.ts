/**
 * RecSim's cluster-bandit tutorial with LoomRL's RecSim agent stack: on the educativeness variant
 * of Long Term Satisfaction (examples/educativenessEnv.ts; 10 candidates, slate 3), a UCB1 click
 * bandit whose arms are `GreedyClusterAgent`s (one per document cluster, most educative first) sits
 * under `ClusterClickStatsLayer`, which counts each cluster's impressions and clicks:
 *
 *   ClusterClickStatsLayer(AbstractClickBanditLayer([GreedyClusterAgent(k) for k in 0…3], UCB1))
 *
 * `TrainRunner` runs it for 20 iterations × 100 env steps and writes one JSON line per iteration
 * (`train/metrics.jsonl`: AverageEpisodeRewards, CTR, cluster_watch_count_frac/…), which this
 * example reads back and plots as text beside RecSim's `RandomAgent` run the same way.
 *
 *   pnpm build && pnpm exec tsx examples/recsim-agents.ts      (env: OUT=<dir>, default a temp dir)
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Env, makeEnv } from '@loomrl/core';
import {
  AbstractClickBanditLayer,
  type AgentSpaces,
  ClusterClickStatsLayer,
  type CreateAgent,
  GreedyClusterAgent,
  type PhaseMetrics,
  RandomAgent,
  readRunnerMetrics,
  TrainRunner,
} from '@loomrl/envs';
import { EDUCATIVENESS_ENV_ID } from './educativenessEnv.js';

const NUM_CLUSTERS = 4;

/** The tutorial's agent: per-cluster click statistics under a UCB1 bandit over greedy cluster agents. */
const clusterBandit: CreateAgent = (env) => {
  const spaces: AgentSpaces = { observationSpace: env.observationSpace, actionSpace: env.actionSpace };
  return new ClusterClickStatsLayer(
    (s) =>
      new AbstractClickBanditLayer({
        ...s,
        armBaseAgents: Array.from(
          { length: NUM_CLUSTERS },
          (_, clusterId) => (arm: AgentSpaces) => new GreedyClusterAgent({ ...arm, clusterId, rankBy: 'educativeness', descending: true }),
        ),
        algorithm: 'UCB1',
        ciScaling: 1,
        randomSeed: 0,
      }),
    spaces,
  );
};
const random: CreateAgent = (env) => new RandomAgent({ actionSpace: env.actionSpace, randomSeed: 0 });

async function train(name: string, createAgent: CreateAgent, baseDir: string): Promise<PhaseMetrics[]> {
  const env: Env = makeEnv(EDUCATIVENESS_ENV_ID, { numCandidates: 10, slateSize: 3 });
  const runner = new TrainRunner({ baseDir: join(baseDir, name), env, createAgent, maxTrainingSteps: 100, numIterations: 20, seed: 0 });
  await runner.runExperiment();
  return readRunnerMetrics(join(baseDir, name, 'train', 'metrics.jsonl'));
}

const out = process.env.OUT ?? (await mkdtemp(join(tmpdir(), 'loomrl-recsim-agents-')));
const runs = { 'cluster bandit': await train('clusterBandit', clusterBandit, out), random: await train('random', random, out) };

// A text plot of AverageEpisodeRewards per iteration (any plotting tool reads the same JSON lines).
const all = Object.values(runs).flatMap((lines) => lines.map((l) => l.AverageEpisodeRewards));
const [low, high] = [Math.min(...all), Math.max(...all)];
const bar = (v: number) => '#'.repeat(Math.round((40 * (v - low)) / (high - low || 1)) + 1);
for (const [name, lines] of Object.entries(runs)) {
  console.log(`\n${name}: AverageEpisodeRewards per iteration (${lines.length} lines of ${join(out, '…/train/metrics.jsonl')})`);
  for (const l of lines) {
    const shares = Array.from({ length: NUM_CLUSTERS }, (_, k) =>
      ((l[`cluster_watch_count_frac/cluster_${k}`] as number | undefined) ?? 0).toFixed(2),
    );
    console.log(
      `iter ${String(l.iteration).padStart(2)}  steps ${String(l.totalSteps).padStart(5)}  ${l.AverageEpisodeRewards.toFixed(1).padStart(7)}  ` +
        `clicks by cluster ${shares.join(' ')}  ${bar(l.AverageEpisodeRewards)}`,
    );
  }
}
console.log('\nmean over the 20 iterations (40 sessions of 60 steps each):');
for (const [name, lines] of Object.entries(runs)) {
  const mean = lines.reduce((a, l) => a + l.AverageEpisodeRewards, 0) / lines.length;
  console.log(`${name.padEnd(15)} ${mean.toFixed(1)}`);
}
console.log(`\nmetrics: ${out}/<agent>/train/metrics.jsonl; checkpoints: ${out}/<agent>/train/checkpoints`);
