import { ActionError, ConfigError, MultiDiscrete, type Space, Tuple } from '@loomrl/core';

/**
 * What a RecSim agent sees (RecSim's observation dict): the user's observation, the candidate
 * documents keyed "0".."C−1" (key k is what slate value k shows), and one response per slate
 * position to the previous slate — `null` on the first observation of an episode.
 */
export interface AgentObservation<UO = unknown, DO = unknown, RO = unknown> {
  readonly user: UO;
  readonly doc: Readonly<Record<string, DO>>;
  readonly response: readonly RO[] | null;
}

/** A slate: up to S candidate positions into `observation.doc`, in display order. */
export type Slate = number[];

/** Plain data an agent saves per checkpoint and restores from (RecSim's `bundle_and_checkpoint` dictionary). */
export type AgentBundle = Readonly<Record<string, unknown>>;

/** The spaces every agent is built from. */
export interface AgentSpaces {
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
}

/**
 * A RecSim recommender agent as the runner drives it (RecSim's `AbstractEpisodicRecommenderAgent`
 * protocol): `beginEpisode` on the reset observation, `step` after every response, `endEpisode`
 * with the last reward. `endEpisode`'s `terminated` says whether the episode really ended (false
 * when a step limit cut it: LoomRL's Gymnasium semantics; RecSim treated both as terminal).
 */
export interface RecSimAgent {
  readonly slateSize: number;
  /** Whether the agent serves several users at once (`MultiUserEnvironment`). */
  readonly multiUser: boolean;
  beginEpisode(observation: AgentObservation): Slate;
  step(reward: number, observation: AgentObservation): Slate;
  endEpisode(reward: number, observation: AgentObservation, terminated?: boolean): void;
  /** The agent's state for checkpoint `iteration` in `checkpointDir`, or `null` for nothing to save. */
  bundleAndCheckpoint(checkpointDir: string, iteration: number): AgentBundle | null;
  /** Restores `bundle`; false when it lacks what the agent needs (RecSim warns and returns false). */
  unbundle(checkpointDir: string, iteration: number, bundle: AgentBundle): boolean;
}

/** Builds an agent from its spaces (RecSim's agent constructors take `observation_space, action_space, **kwargs`). */
export type AgentFactory<A extends RecSimAgent = RecSimAgent> = (spaces: AgentSpaces) => A;

/** The slate size of a `MultiDiscrete([C]*S)` action space, or a `ConfigError` naming the space. */
export function slateSizeOfSpace(actionSpace: Space<unknown>, agent: string): number {
  if (!(actionSpace instanceof MultiDiscrete)) {
    throw new ConfigError(`${agent}: RecSim agents act with MultiDiscrete([C]*S) slates, got the action space ${actionSpace.toString()}.`);
  }
  return actionSpace.nvec.length;
}

/**
 * The base of every agent (RecSim's `AbstractRecommenderAgent`): the slate size from the
 * `MultiDiscrete` action space.
 */
export abstract class AbstractRecommenderAgent {
  readonly actionSpace: Space<unknown>;
  readonly slateSize: number;
  readonly multiUser: boolean = false;

  /** An agent acting in `actionSpace` (a `MultiDiscrete([C]*S)`). */
  constructor(actionSpace: Space<unknown>) {
    this.actionSpace = actionSpace;
    this.slateSize = slateSizeOfSpace(actionSpace, this.constructor.name);
  }

  /** The slate for `observation` after `reward` for the previous one. */
  abstract step(reward: number, observation: AgentObservation): Slate;
  abstract bundleAndCheckpoint(checkpointDir: string, iteration: number): AgentBundle | null;
  abstract unbundle(checkpointDir: string, iteration: number, bundle: AgentBundle): boolean;
}

/**
 * An agent that runs episode by episode (RecSim's `AbstractEpisodicRecommenderAgent`):
 * `beginEpisode` counts the episode and returns `step(0, observation)`; `endEpisode` does nothing;
 * the bundle holds the episode count (`episode_num`).
 */
export abstract class AbstractEpisodicRecommenderAgent extends AbstractRecommenderAgent implements RecSimAgent {
  /** Episodes begun. */
  episodeNum = 0;

  beginEpisode(observation: AgentObservation): Slate {
    this.episodeNum += 1;
    return this.step(0, observation);
  }

  endEpisode(_reward: number, _observation: AgentObservation, _terminated = true): void {}

  bundleAndCheckpoint(_checkpointDir: string, _iteration: number): AgentBundle | null {
    return { episode_num: this.episodeNum };
  }

  unbundle(_checkpointDir: string, _iteration: number, bundle: AgentBundle): boolean {
    if (typeof bundle.episode_num !== 'number') return false;
    this.episodeNum = bundle.episode_num;
    return true;
  }
}

/**
 * An episodic agent for several users at once (RecSim's `AbstractMultiUserEpisodicRecommenderAgent`):
 * its action space is a Tuple of one `MultiDiscrete` per user; it returns one slate per user.
 * No stock env is multi-user; the runner refuses to pair it with a single-user env.
 */
export abstract class AbstractMultiUserEpisodicRecommenderAgent extends AbstractEpisodicRecommenderAgent {
  override readonly multiUser = true;
  readonly numUsers: number;

  /** An agent for `actionSpace` = Tuple(N × MultiDiscrete([C]*S)), N ≥ 1. */
  constructor(actionSpace: Space<unknown>) {
    const users = actionSpace instanceof Tuple ? (actionSpace.spaces as readonly Space<unknown>[]) : [];
    if (users.length === 0) {
      throw new ConfigError(`Multi-user agents need a Tuple of per-user MultiDiscrete slate spaces, got ${actionSpace.toString()}.`);
    }
    super(users[0] as Space<unknown>);
    this.numUsers = users.length;
  }
}

/**
 * Checks `slate` against the candidates of `observation`: 1 to S integer positions in [0, C). An
 * agent returning anything else gets an `ActionError` naming the agent, the slate and the bounds.
 */
export function checkSlate(slate: unknown, observation: AgentObservation, slateSize: number, agent: string): Slate {
  const numCandidates = Object.keys(observation.doc).length;
  const values = slate as ArrayLike<unknown> | null;
  const list = values !== null && typeof values === 'object' && typeof values.length === 'number' ? Array.from(values) : null;
  const ok =
    list !== null &&
    list.length >= 1 &&
    list.length <= slateSize &&
    list.every((p) => typeof p === 'number' && Number.isInteger(p) && p >= 0 && p < numCandidates);
  if (!ok) {
    throw new ActionError(
      `${agent} returned the slate ${JSON.stringify(list ?? slate)}; expected 1 to ${slateSize} integer candidate positions in [0, ${numCandidates}).`,
    );
  }
  return list as Slate;
}

/** Plain-data deep copies for bundles (agents keep mutable state; a bundle must not alias it). */
export function copyBundle<T>(value: T): T {
  return structuredClone(value);
}
