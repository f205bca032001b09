import { Box, ConfigError, Dict, Discrete, type Space, Tuple } from '@loomrl/core';
import type { AgentFactory, AgentObservation, AgentSpaces } from '../agent.js';
import { recSimParts, SufficientStatisticsLayer } from './sufficientStatistics.js';

/** Impressions and clicks per cluster in this episode, as the base agent sees them. */
export interface ClusterClickStatistics {
  readonly impressionCount: Float32Array;
  readonly clickCount: Float32Array;
}

/** The number of clusters K of a response space with `clusterId` (Discrete(K), or a scalar Box with integer `high` = K − 1). */
function clusterCountOf(responseSpace: Space<unknown>): number {
  const parts = responseSpace instanceof Dict ? (responseSpace.spaces as Record<string, Space<unknown>>) : {};
  const cluster = parts.clusterId;
  if (parts.click === undefined || cluster === undefined) {
    throw new ConfigError(`ClusterClickStatsLayer needs responses with "click" and "clusterId", got ${responseSpace.toString()}.`);
  }
  if (cluster instanceof Discrete) return cluster.n;
  const high = cluster instanceof Box && cluster.flatDim === 1 ? (cluster.high[0] as number) : Number.NaN;
  if (!Number.isInteger(high)) {
    throw new ConfigError(
      `ClusterClickStatsLayer: response clusterId must be Discrete(K) or a scalar Box with an integer high, got ${cluster.toString()}.`,
    );
  }
  return high + 1;
}

/**
 * Counts, per document cluster, the impressions (every shown slate position) and clicks of this
 * episode, and gives them to its base agent as `user.sufficientStatistics.{impressionCount,
 * clickCount}` (RecSim's `ClusterClickStatsLayer`). The counts seen at step t include the
 * responses to slate t − 1; they are zero on the reset observation and reset after each episode.
 */
export class ClusterClickStatsLayer extends SufficientStatisticsLayer<{ impressions: Float32Array; clicks: Float32Array }> {
  readonly numClusters: number;

  /** A layer over `baseAgent` for `spaces` (responses must carry `click` and `clusterId`). */
  constructor(baseAgent: AgentFactory, spaces: AgentSpaces) {
    const { response } = recSimParts(spaces.observationSpace, 'ClusterClickStatsLayer');
    const first = response instanceof Tuple ? (response.spaces as readonly Space<unknown>[])[0] : undefined;
    if (first === undefined) throw new ConfigError(`ClusterClickStatsLayer needs a Tuple of responses, got ${response.toString()}.`);
    const k = clusterCountOf(first);
    const counts = new Box({ low: 0, high: Number.POSITIVE_INFINITY, shape: [k] });
    super(baseAgent, spaces, new Dict({ impressionCount: counts, clickCount: counts }));
    this.numClusters = k;
  }

  protected update(observation: AgentObservation): void {
    this.statistics ??= { impressions: new Float32Array(this.numClusters), clicks: new Float32Array(this.numClusters) };
    const { impressions, clicks } = this.statistics;
    for (const raw of observation.response ?? []) {
      const response = raw as { clusterId: number | ArrayLike<number>; click: number };
      const cluster = Math.trunc(typeof response.clusterId === 'number' ? response.clusterId : (response.clusterId[0] as number));
      impressions[cluster] = (impressions[cluster] as number) + 1;
      if (response.click) clicks[cluster] = (clicks[cluster] as number) + 1;
    }
  }

  protected createObservation(): ClusterClickStatistics {
    const stats = this.statistics as { impressions: Float32Array; clicks: Float32Array };
    return { impressionCount: Float32Array.from(stats.impressions), clickCount: Float32Array.from(stats.clicks) };
  }
}
