import { ConfigError, Dict, Discrete, type Space } from '@loomrl/core';
import { AbstractEpisodicRecommenderAgent, type AgentObservation, type AgentSpaces, type Slate } from './agent.js';
import { AbstractClickBanditLayer, type ClickBanditOptions } from './layers/clickBandit.js';
import { recSimParts } from './layers/sufficientStatistics.js';
import { documentsOf } from './utils.js';

/** Options of `GreedyClusterAgent`. */
export interface GreedyClusterAgentOptions extends AgentSpaces {
  /** The cluster this agent serves. */
  readonly clusterId: number;
  /** The document entry to rank by (default `'quality'`; the educativeness tutorial ranks by `'educativeness'`). */
  readonly rankBy?: string;
  /** Highest first (default, RecSim's) or lowest first. */
  readonly descending?: boolean;
}

function scalarOf(value: unknown): number {
  return typeof value === 'number' ? value : ((value as ArrayLike<number>)[0] as number);
}

/**
 * Recommends the documents of one cluster, best first (RecSim's `GreedyClusterAgent`): every
 * candidate whose `clusterId` is `clusterId`, sorted by `rankBy` (RecSim: `quality`, highest
 * first; among equal values the later candidate first). The list may be longer than S or empty:
 * a bandit layer above cuts it.
 */
export class GreedyClusterAgent extends AbstractEpisodicRecommenderAgent {
  readonly clusterId: number;
  private readonly rankBy: string;
  private readonly descending: boolean;

  /** An agent serving `options.clusterId`. */
  constructor(options: GreedyClusterAgentOptions) {
    super(options.actionSpace);
    this.clusterId = options.clusterId;
    this.rankBy = options.rankBy ?? 'quality';
    this.descending = options.descending ?? true;
  }

  step(_reward: number, observation: AgentObservation): Slate {
    const docs = documentsOf(observation.doc) as Record<string, unknown>[];
    const mine = docs.flatMap((d, i) => (scalarOf(d.clusterId) === this.clusterId ? [i] : []));
    const value = (i: number) => scalarOf((docs[i] as Record<string, unknown>)[this.rankBy]);
    // A stable ascending sort, reversed: equal values put the later candidate first (as RecSim).
    const ascending = [...mine].sort((a, b) => value(a) - value(b));
    return this.descending ? ascending.reverse() : [...mine].sort((a, b) => value(a) - value(b) || a - b);
  }
}

/** K, the number of clusters of a RecSim observation space whose documents have `clusterId: Discrete(K)`. */
export function documentClusterCount(observationSpace: Space<unknown>): number {
  const { doc } = recSimParts(observationSpace, 'ClusterBanditAgent');
  const first = Object.values(doc.spaces as Record<string, Space<unknown>>)[0];
  const cluster = first instanceof Dict ? (first.spaces as Record<string, Space<unknown>>).clusterId : undefined;
  if (!(cluster instanceof Discrete)) {
    throw new ConfigError(`ClusterBanditAgent needs documents with clusterId: Discrete(K), got ${String(first?.toString())}.`);
  }
  return cluster.n;
}

/** Options of `ClusterBanditAgent`. */
export interface ClusterBanditAgentOptions extends Omit<ClickBanditOptions, 'armBaseAgents'> {
  /** Passed to every arm's `GreedyClusterAgent` (`rankBy`, `descending`). */
  readonly arm?: Pick<GreedyClusterAgentOptions, 'rankBy' | 'descending'>;
}

/**
 * A click bandit whose arm k is `GreedyClusterAgent(clusterId = k)`, k = 0…K−1 (RecSim's
 * `ClusterBanditAgent`). It reads per-cluster impressions and clicks, so use it as
 * `new ClusterClickStatsLayer((s) => new ClusterBanditAgent({ ...s }), spaces)`.
 */
export class ClusterBanditAgent extends AbstractClickBanditLayer {
  /** A bandit over one greedy agent per cluster of the documents. */
  constructor(options: ClusterBanditAgentOptions) {
    const k = documentClusterCount(options.observationSpace);
    const armBaseAgents = Array.from(
      { length: k },
      (_, clusterId) => (spaces: AgentSpaces) => new GreedyClusterAgent({ ...spaces, ...options.arm, clusterId }),
    );
    super({ ...options, armBaseAgents });
  }
}
