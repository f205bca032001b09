import { ConfigError, DataError, makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../../register.js';
import { AbstractEpisodicRecommenderAgent, type AgentObservation, type AgentSpaces, type Slate } from '../agent.js';
import { ClusterBanditAgent, GreedyClusterAgent } from '../clusterBanditAgent.js';
import { AbstractClickBanditLayer } from './clickBandit.js';
import { ClusterClickStatsLayer } from './clusterClickStats.js';
import { FixedLengthHistoryLayer } from './fixedLengthHistory.js';
import { TemporalAggregationLayer } from './temporalAggregation.js';

const IEXP = 'RecSim/InterestExploration-v0';

/** An agent that records what it was given and returns a fixed slate. */
class Recorder extends AbstractEpisodicRecommenderAgent {
  readonly seen: Array<{ reward: number; observation: AgentObservation }> = [];
  readonly ended: Array<{ reward: number; terminated: boolean }> = [];
  constructor(
    spaces: AgentSpaces,
    private readonly slate: Slate = [0, 1],
  ) {
    super(spaces.actionSpace);
  }
  step(reward: number, observation: AgentObservation): Slate {
    this.seen.push({ reward, observation });
    return this.slate;
  }
  override endEpisode(reward: number, _observation: AgentObservation, terminated = true): void {
    this.ended.push({ reward, terminated });
  }
}

function iexp(config: Record<string, unknown> = {}) {
  const env = makeEnv(IEXP, { numCandidates: 4, slateSize: 2, ...config });
  return { env, spaces: { observationSpace: env.observationSpace, actionSpace: env.actionSpace } };
}

/** A response tuple of (click, cluster) pairs, as IExp emits. */
const responses = (...pairs: Array<[number, number]>) =>
  pairs.map(([click, clusterId]) => ({ click, quality: Float32Array.of(1), clusterId }));

describe('ClusterClickStatsLayer', () => {
  it('counts impressions per shown position and clicks per cluster; the counts reach the base agent one step later', () => {
    const { env, spaces } = iexp();
    let base: Recorder | null = null;
    const layer = new ClusterClickStatsLayer((s) => {
      base = new Recorder(s);
      return base;
    }, spaces);
    const obs = env.reset({ seed: 1 }).obs as AgentObservation;
    layer.beginEpisode({ ...obs, response: null });
    layer.step(0, { ...obs, response: responses([1, 0], [0, 1]) });
    layer.step(1, { ...obs, response: responses([0, 0], [1, 1]) });
    const seen = (base as unknown as Recorder).seen;
    const stats = (i: number) =>
      (
        (seen[i] as (typeof seen)[number]).observation.user as {
          sufficientStatistics: { impressionCount: Float32Array; clickCount: Float32Array };
        }
      ).sufficientStatistics;
    expect(Array.from(stats(0).impressionCount)).toEqual([0, 0]);
    expect(Array.from(stats(1).impressionCount)).toEqual([1, 1]);
    expect(Array.from(stats(2).impressionCount)).toEqual([2, 2]);
    expect(Array.from(stats(2).clickCount)).toEqual([1, 1]);
    expect(((seen[2] as (typeof seen)[number]).observation.user as { rawObservation: unknown }).rawObservation).toBe(obs.user);
    // Reset per episode.
    layer.endEpisode(0, { ...obs, response: responses([1, 1], [0, 0]) });
    layer.beginEpisode({ ...obs, response: null });
    expect(Array.from(stats(3).impressionCount)).toEqual([0, 0]);
  });

  it('refuses responses without click and clusterId', () => {
    const env = makeEnv('RecSim/LongTermSatisfaction-v0', { numCandidates: 4 });
    expect(() => new ClusterClickStatsLayer((s) => new Recorder(s), env)).toThrow(/"click" and "clusterId"/);
  });
});

describe('AbstractClickBanditLayer', () => {
  /** A layer over 3 recorder arms returning one or two documents each. */
  function bandit(slateSize = 2) {
    const { spaces } = iexp({ slateSize, numCandidates: Math.max(4, slateSize) });
    const arms: Recorder[] = [];
    const layer = new AbstractClickBanditLayer({
      ...spaces,
      armBaseAgents: [[0], [1, 2], [3]].map((slate) => (s: AgentSpaces) => {
        const arm = new Recorder(s, slate);
        arms.push(arm);
        return arm;
      }),
    });
    return { layer, arms };
  }
  const withStats = (pulls: number[], clicks: number[]): AgentObservation => ({
    user: { sufficientStatistics: { impressionCount: Float32Array.from(pulls), clickCount: Float32Array.from(clicks) } },
    doc: { 0: 0, 1: 1, 2: 2, 3: 3 },
    response: null,
  });

  it('ranks arms by UCB1 once every arm has impressions, and steps arms until the slate is full', () => {
    const { layer, arms } = bandit();
    // Means 0.5, 0.1, 0.9 with 10 pulls each: arm 2 first (one document), then arm 0.
    const obs = withStats([10, 10, 10], [5, 1, 9]);
    expect(layer.armOrder(obs)).toEqual([2, 0, 1]);
    expect(layer.step(0, obs)).toEqual([3, 0]);
    expect(arms.map((a) => a.seen.length)).toEqual([1, 0, 1]);
  });

  it('serves the arms with the fewest impressions first, ties to the higher arm, until every arm has one', () => {
    const { layer } = bandit();
    expect(layer.armOrder(withStats([3, 0, 0], [3, 0, 0]))).toEqual([2, 1, 0]);
    expect(layer.step(0, withStats([3, 0, 0], [3, 0, 0]))).toEqual([3, 1]);
  });

  it("packs the episode's first slate in arm order (RecSim's beginEpisode) and cuts it to S", () => {
    const { layer } = bandit();
    expect(layer.beginEpisode(withStats([0, 0, 0], [0, 0, 0]))).toEqual([0, 1]);
  });

  it('refuses statistics of another length and missing statistics', () => {
    const { layer } = bandit();
    expect(() => layer.step(0, withStats([1, 1], [0, 0]))).toThrow(DataError);
    expect(() => layer.step(0, withStats([1, 1], [0, 0]))).toThrow(/3 arms but the statistics count 2 impressions/);
    expect(() => layer.step(0, { user: {}, doc: {}, response: null })).toThrow(ConfigError);
  });

  it('throws when the arms run out of documents', () => {
    const { layer } = bandit(5);
    expect(() => layer.step(0, withStats([1, 1, 1], [0, 0, 0]))).toThrow(/offered 4 documents for a slate of 5/);
  });
});

describe('the cluster bandit stack on Interest Exploration', () => {
  it('shows the highest-quality documents of the cluster the bandit picks', () => {
    const { env, spaces } = iexp({ numCandidates: 6 });
    const stack = new ClusterClickStatsLayer((s) => new ClusterBanditAgent(s), spaces);
    let obs = env.reset({ seed: 4 }).obs as AgentObservation;
    let slate = stack.beginEpisode({ ...obs, response: null });
    for (let t = 0; t < 30; t++) {
      const docs = obs.doc as Record<string, { clusterId: number; quality: Float32Array }>;
      const clusters = slate.map((p) => docs[String(p)]?.clusterId);
      // Each arm shows its cluster's documents best first: within a cluster, quality never rises.
      for (let i = 1; i < slate.length; i++) {
        if (clusters[i] === clusters[i - 1]) {
          expect(docs[String(slate[i])]?.quality[0] as number).toBeLessThanOrEqual(docs[String(slate[i - 1])]?.quality[0] as number);
        }
      }
      const step = env.step(Int32Array.from(slate));
      obs = step.obs as AgentObservation;
      slate = stack.step(step.reward, obs);
      expect(new Set(slate).size).toBe(slate.length);
    }
    expect(stack.bundleAndCheckpoint('', 0)).toEqual({
      base_agent_bundle_0: { base_agent_bundle_0: { episode_num: 1 }, base_agent_bundle_1: { episode_num: 1 } },
    });
  });

  it('GreedyClusterAgent returns every document of its cluster, by quality (or ascending)', () => {
    const { spaces } = iexp();
    const doc = (clusterId: number, q: number) => ({ clusterId, quality: Float32Array.of(q) });
    const obs: AgentObservation = {
      user: new Float32Array(0),
      doc: { 0: doc(1, 2), 1: doc(0, 5), 2: doc(1, 3), 3: doc(1, 1) },
      response: null,
    };
    expect(new GreedyClusterAgent({ ...spaces, clusterId: 1 }).step(0, obs)).toEqual([2, 0, 3]);
    expect(new GreedyClusterAgent({ ...spaces, clusterId: 1, descending: false }).step(0, obs)).toEqual([3, 0, 2]);
    expect(new GreedyClusterAgent({ ...spaces, clusterId: 2 }).step(0, obs)).toEqual([]);
  });
});

describe('FixedLengthHistoryLayer', () => {
  it('remembers the last H observations newest first, null where there are none', () => {
    const { env, spaces } = iexp();
    let base: Recorder | null = null;
    const layer = new FixedLengthHistoryLayer(
      (s) => {
        base = new Recorder(s);
        return base;
      },
      { ...spaces, historyLength: 3 },
    );
    const obs = env.reset({ seed: 1 }).obs as AgentObservation;
    layer.beginEpisode({ ...obs, response: null });
    const history = (i: number) =>
      (((base as unknown as Recorder).seen[i] as Recorder['seen'][number]).observation.user as { sufficientStatistics: unknown[] })
        .sufficientStatistics;
    expect(history(0)).toEqual([{ user: obs.user, response: null }, null, null]);
    const next = { ...obs, response: responses([1, 0], [0, 1]) };
    layer.step(0, next);
    expect(history(1)).toEqual([{ user: obs.user, response: next.response }, { user: obs.user, response: null }, null]);
  });
});

describe('TemporalAggregationLayer', () => {
  it('decides every k steps, holds the slate in between, and pays the discounted period reward minus the switching cost', () => {
    const env = makeEnv(IEXP, { numCandidates: 4, slateSize: 2, resampleDocuments: false });
    const slates = [
      [0, 1],
      [2, 3],
      [2, 3],
    ];
    let base: Recorder | null = null;
    let decision = 0;
    const layer = new TemporalAggregationLayer(
      (s) => {
        expect(s.gamma).toBeCloseTo(0.25, 12); // γ^k
        base = new (class extends Recorder {
          override step(reward: number, observation: AgentObservation): Slate {
            super.step(reward, observation);
            const slate = slates[decision] as Slate;
            decision += 1;
            return slate;
          }
        })(s, slates[0]);
        return base;
      },
      { observationSpace: env.observationSpace, actionSpace: env.actionSpace, gamma: 0.5, aggregationPeriod: 2, switchingCost: 1 },
    );
    const obs = env.reset({ seed: 3 }).obs as AgentObservation;
    expect(layer.beginEpisode({ ...obs, response: null })).toEqual([0, 1]);
    expect(layer.step(4, obs)).toEqual([0, 1]); // held
    expect(layer.step(2, obs)).toEqual([2, 3]); // decision: reward 4 + 0.5·2 = 5 (first decision, no switch)
    expect(layer.step(1, obs)).toEqual([2, 3]); // held
    expect(layer.step(6, obs)).toEqual([2, 3]); // decision: 1 + 0.5·6 − 1 (the slate switched) = 3
    const recorded = (base as unknown as Recorder).seen;
    expect(recorded.map((r) => r.reward)).toEqual([0, 5, 3]);
    const user = recorded[2]?.observation.user as { originalObservation: unknown; lastSlate: unknown[] };
    expect(user.originalObservation).toBe(obs.user);
    expect(user.lastSlate).toEqual([obs.doc['2'], obs.doc['3']]);
    layer.endEpisode(2, obs, false);
    expect((base as unknown as Recorder).ended).toEqual([{ reward: 2, terminated: false }]);
  });
});
