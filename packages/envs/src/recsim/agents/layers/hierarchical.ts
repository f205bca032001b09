import type { Space } from '@loomrl/core';
import { type AgentBundle, type AgentObservation, type RecSimAgent, type Slate, slateSizeOfSpace } from '../agent.js';

/** A reward and observation after a layer's `preprocess`. */
export interface Preprocessed {
  readonly reward: number;
  readonly observation: AgentObservation;
}

/**
 * A layer over base agents (RecSim's `AbstractHierarchicalAgentLayer`): it may rewrite rewards and
 * observations (`preprocess`) before its base agents see them, and combines their slates
 * (`postprocess`). `beginEpisode` and `endEpisode` go to every base agent; the bundle holds one
 * entry `base_agent_bundle_i` per base agent.
 */
export abstract class AbstractHierarchicalAgentLayer implements RecSimAgent {
  readonly actionSpace: Space<unknown>;
  readonly slateSize: number;
  readonly multiUser = false;
  /** The base agents, built by the subclass. */
  protected baseAgents: RecSimAgent[] = [];

  /** A layer acting in `actionSpace` (a `MultiDiscrete([C]*S)`). */
  constructor(actionSpace: Space<unknown>) {
    this.actionSpace = actionSpace;
    this.slateSize = slateSizeOfSpace(actionSpace, this.constructor.name);
  }

  /** Rewrites what the base agents get (identity by default). */
  protected preprocess(reward: number, observation: AgentObservation): Preprocessed {
    return { reward, observation };
  }

  /** The layer's slate from its base agents' slates (in base-agent order). */
  protected abstract postprocess(slates: readonly Slate[]): Slate;

  abstract step(reward: number, observation: AgentObservation): Slate;

  beginEpisode(observation: AgentObservation): Slate {
    const { observation: seen } = this.preprocess(0, observation);
    return this.postprocess(this.baseAgents.map((agent) => agent.beginEpisode(seen)));
  }

  endEpisode(reward: number, observation: AgentObservation, terminated = true): void {
    const seen = this.preprocess(reward, observation);
    for (const agent of this.baseAgents) agent.endEpisode(seen.reward, seen.observation, terminated);
  }

  bundleAndCheckpoint(checkpointDir: string, iteration: number): AgentBundle | null {
    const bundle: Record<string, unknown> = {};
    this.baseAgents.forEach((agent, i) => {
      bundle[`base_agent_bundle_${i}`] = agent.bundleAndCheckpoint(checkpointDir, iteration);
    });
    return bundle;
  }

  unbundle(checkpointDir: string, iteration: number, bundle: AgentBundle): boolean {
    let ok = true;
    for (const [i, agent] of this.baseAgents.entries()) {
      const inner = bundle[`base_agent_bundle_${i}`];
      if (inner === undefined || inner === null || typeof inner !== 'object') return false;
      ok = agent.unbundle(checkpointDir, iteration, inner as AgentBundle) && ok;
    }
    return ok;
  }
}
