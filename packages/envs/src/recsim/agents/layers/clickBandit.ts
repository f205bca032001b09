import { ActionError, ConfigError, DataError } from '@loomrl/core';
import type { AgentFactory, AgentObservation, AgentSpaces, RecSimAgent, Slate } from '../agent.js';
import { MAB_ALGORITHMS, type MABAlgorithm, type MABAlgorithmFactory } from '../bandits/mab.js';
import { AbstractHierarchicalAgentLayer } from './hierarchical.js';

/** Options of `AbstractClickBanditLayer`. */
export interface ClickBanditOptions extends AgentSpaces {
  /** One base agent ("arm") per entry, each built with this layer's spaces. */
  readonly armBaseAgents: readonly AgentFactory[];
  /** The bandit algorithm (RecSim's `alg_ctor`; default UCB1). */
  readonly algorithm?: MABAlgorithmFactory | keyof typeof MAB_ALGORITHMS;
  /** The algorithm's `optimismScaling` (RecSim's `ci_scaling`, default 1). */
  readonly ciScaling?: number;
  /** Seeds the algorithm's stream (default 0). */
  readonly randomSeed?: number;
}

/**
 * A click bandit over base agents (RecSim's `AbstractClickBanditLayer`): arm k's pulls and clicks
 * are `user.sufficientStatistics.impressionCount[k]` and `clickCount[k]` (so it sits under a layer
 * that counts them, e.g. `ClusterClickStatsLayer`, and arm k must serve cluster k). Each step it
 * ranks the arms by the algorithm's index (arms with fewer impressions first until every arm has
 * one; ties: the higher arm index first), steps the arms in that order until they have offered S
 * documents, and shows their lists concatenated and cut to S.
 *
 * Kept from RecSim: the first slate of an episode comes from `beginEpisode`, which asks every arm
 * and packs their lists in arm order 0…K−1 (not bandit order). Fixed: the statistics' lengths are
 * checked (RecSim builds the errors but never throws them), and the algorithm keeps one seeded
 * stream across steps (RecSim rebuilds it, re-seeded, every step, so its Thompson draws repeat).
 */
export class AbstractClickBanditLayer extends AbstractHierarchicalAgentLayer {
  readonly numArms: number;
  private readonly algorithm: MABAlgorithm;

  /** A bandit over `options.armBaseAgents` (at least 2). */
  constructor(options: ClickBanditOptions) {
    super(options.actionSpace);
    const spaces = { observationSpace: options.observationSpace, actionSpace: options.actionSpace };
    this.baseAgents = options.armBaseAgents.map((make) => make(spaces));
    this.numArms = this.baseAgents.length;
    const algorithm = options.algorithm ?? 'UCB1';
    const factory = typeof algorithm === 'string' ? MAB_ALGORITHMS[algorithm] : algorithm;
    if (factory === undefined) {
      throw new ConfigError(
        `AbstractClickBanditLayer: unknown algorithm "${String(algorithm)}"; use ${Object.keys(MAB_ALGORITHMS).join(', ')} or a factory.`,
      );
    }
    this.algorithm = factory(this.numArms, { optimismScaling: options.ciScaling ?? 1 }, options.randomSeed ?? 0);
  }

  /** The arms (base agents), in arm order. */
  get arms(): readonly RecSimAgent[] {
    return this.baseAgents;
  }

  /** The arms in the order the bandit ranks them for `observation`'s statistics. */
  armOrder(observation: AgentObservation): number[] {
    const stats = (observation.user as { sufficientStatistics?: { impressionCount?: ArrayLike<number>; clickCount?: ArrayLike<number> } })
      ?.sufficientStatistics;
    const pulls = stats?.impressionCount;
    const clicks = stats?.clickCount;
    if (pulls === undefined || clicks === undefined) {
      throw new ConfigError(
        'AbstractClickBanditLayer needs user.sufficientStatistics.{impressionCount, clickCount}; put it under a ClusterClickStatsLayer.',
      );
    }
    if (pulls.length !== this.numArms || clicks.length !== this.numArms) {
      throw new DataError(
        `AbstractClickBanditLayer has ${this.numArms} arms but the statistics count ${pulls.length} impressions and ${clicks.length} clicks.`,
      );
    }
    this.algorithm.setState(pulls, clicks);
    const total = Array.from(pulls).reduce((a, b) => a + b, 0);
    const index = this.algorithm.getScore(total);
    const allPulled = Array.from(pulls).every((n) => n > 0);
    const scores = Array.from(pulls, (n, k) => (allPulled ? (index[k] as number) : -n));
    return scores.map((_, k) => k).sort((a, b) => (scores[b] as number) - (scores[a] as number) || b - a);
  }

  step(reward: number, observation: AgentObservation): Slate {
    const lists: Slate[] = [];
    let offered = 0;
    for (const k of this.armOrder(observation)) {
      const slate = (this.baseAgents[k] as RecSimAgent).step(reward, observation);
      lists.push(slate);
      offered += slate.length;
      if (offered >= this.slateSize) break;
    }
    if (offered < this.slateSize) {
      throw new ActionError(
        `AbstractClickBanditLayer: the ${this.numArms} arms offered ${offered} documents for a slate of ${this.slateSize}.`,
      );
    }
    return this.postprocess(lists);
  }

  protected postprocess(slates: readonly Slate[]): Slate {
    return slates.flat().slice(0, this.slateSize);
  }
}
