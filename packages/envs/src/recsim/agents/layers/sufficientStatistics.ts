import { ConfigError, Dict, type Space } from '@loomrl/core';
import type { AgentFactory, AgentObservation, AgentSpaces, Slate } from '../agent.js';
import { AbstractHierarchicalAgentLayer, type Preprocessed } from './hierarchical.js';

/** The user, documents and responses of a RecSim observation space, or a `ConfigError`. */
export function recSimParts(
  observationSpace: Space<unknown>,
  layer: string,
): { user: Space<unknown>; doc: Dict; response: Space<unknown> } {
  const parts = observationSpace instanceof Dict ? (observationSpace.spaces as Record<string, Space<unknown>>) : null;
  if (parts === null || parts.user === undefined || !(parts.doc instanceof Dict) || parts.response === undefined) {
    throw new ConfigError(`${layer} needs a RecSim observation space Dict(user, doc, response), got ${observationSpace.toString()}.`);
  }
  return { user: parts.user, doc: parts.doc, response: parts.response };
}

/**
 * A layer that keeps statistics of the episode so far and hands them to its one base agent inside
 * the user observation (RecSim's `SufficientStatisticsLayer`): the base agent sees
 * `user = { rawObservation, sufficientStatistics }` in `augmentedObservationSpace`. The statistics
 * start on the reset observation and are dropped after `endEpisode`: they describe one user.
 */
export abstract class SufficientStatisticsLayer<S> extends AbstractHierarchicalAgentLayer {
  /** The env's observation space (what the layer itself takes). */
  readonly observationSpace: Space<unknown>;
  /** What the base agent sees. */
  readonly augmentedObservationSpace: Dict;
  protected statistics: S | null = null;

  /** A layer over `baseAgent` (built with the augmented space) with statistics in `statisticsSpace`. */
  constructor(baseAgent: AgentFactory, spaces: AgentSpaces, statisticsSpace: Space<unknown>) {
    super(spaces.actionSpace);
    this.observationSpace = spaces.observationSpace;
    const { user, doc, response } = recSimParts(spaces.observationSpace, this.constructor.name);
    this.augmentedObservationSpace = new Dict({
      user: new Dict({ rawObservation: user, sufficientStatistics: statisticsSpace }),
      doc,
      response,
    });
    this.baseAgents = [baseAgent({ observationSpace: this.augmentedObservationSpace, actionSpace: spaces.actionSpace })];
  }

  /** Updates the statistics with `observation` (creating them when null). */
  protected abstract update(observation: AgentObservation): void;
  /** The statistics as the base agent sees them (an element of the statistics space). */
  protected abstract createObservation(): unknown;

  protected override preprocess(reward: number, observation: AgentObservation): Preprocessed {
    this.update(observation);
    const user = { rawObservation: observation.user, sufficientStatistics: this.createObservation() };
    return { reward, observation: { ...observation, user } };
  }

  protected postprocess(slates: readonly Slate[]): Slate {
    return slates[0] ?? [];
  }

  step(reward: number, observation: AgentObservation): Slate {
    const seen = this.preprocess(reward, observation);
    return (this.baseAgents[0] as NonNullable<(typeof this.baseAgents)[0]>).step(seen.reward, seen.observation);
  }

  override endEpisode(reward: number, observation: AgentObservation, terminated = true): void {
    super.endEpisode(reward, observation, terminated);
    this.statistics = null;
  }
}
