import { ConfigError, type Space, Tuple } from '@loomrl/core';
import type { PolicyContext, RecSimPolicy, RecSimPolicyFactory } from '../baselines/policy.js';
import { structuredObservation } from '../baselines/policy.js';
import { zeroElement } from '../framework/spaceValues.js';
import { slateFromIndex } from '../wrappers/slateIndex.js';
import {
  AbstractEpisodicRecommenderAgent,
  type AgentFactory,
  type AgentObservation,
  type AgentSpaces,
  checkSlate,
  type RecSimAgent,
  type Slate,
} from './agent.js';
import { recSimParts } from './layers/sufficientStatistics.js';

/** What a LoomRL policy offers (an `Algorithm`, or anything with its `computeSingleAction`). */
export interface ActingPolicy {
  computeSingleAction(observation: unknown, options?: { explore?: boolean }): unknown;
}

/** Options of `PolicyAgent`. */
export interface PolicyAgentOptions extends AgentSpaces {
  /** The policy, e.g. a trained `SlateQ`, `DQN` or `PPO` algorithm. */
  readonly policy: ActingPolicy;
  /** Explore while acting (default false: greedy). */
  readonly explore?: boolean;
  /**
   * What the policy observes, from the structured RecSim observation (the reset observation's
   * missing response is the zero response): default the observation itself, for policies trained
   * on the structured env (SlateQ); e.g. `(o) => space.flatten(o)` for `flattenObservations`.
   */
  readonly policyObservation?: (observation: AgentObservation) => unknown;
}

/**
 * A LoomRL policy as a RecSim agent: each step asks `policy.computeSingleAction` and turns its
 * action into a slate — a slate array as is, a `Discrete(C^S)` index decoded (position 0 least
 * significant, as RLlib's wrapper). It does not learn through the agent API.
 */
export class PolicyAgent extends AbstractEpisodicRecommenderAgent {
  private readonly policy: ActingPolicy;
  private readonly explore: boolean;
  private readonly responseSpace: Space<unknown>;
  private readonly toPolicy: (observation: AgentObservation) => unknown;

  /** An agent acting with `options.policy`. */
  constructor(options: PolicyAgentOptions) {
    super(options.actionSpace);
    this.policy = options.policy;
    this.explore = options.explore ?? false;
    this.responseSpace = recSimParts(options.observationSpace, 'PolicyAgent').response;
    this.toPolicy = options.policyObservation ?? ((o) => o);
  }

  step(_reward: number, observation: AgentObservation): Slate {
    const full = { ...observation, response: observation.response ?? zeroElement(this.responseSpace as Space<unknown[]>) };
    const action = this.policy.computeSingleAction(this.toPolicy(full), { explore: this.explore });
    const numCandidates = Object.keys(observation.doc).length;
    const slate =
      typeof action === 'number'
        ? Array.from(slateFromIndex(action, numCandidates, this.slateSize))
        : Array.from(action as ArrayLike<number>);
    return checkSlate(slate, observation, this.slateSize, 'PolicyAgent');
  }
}

/** The spaces of `env` for an agent: its observation space and its slate action space. */
function spacesOf(context: PolicyContext): AgentSpaces {
  const { env } = context;
  if (env.actionSpace.type !== 'MultiDiscrete' || env.observationSpace instanceof Tuple) {
    throw new ConfigError(
      `A RecSim agent acts on the structured RecSim env with slate actions; got ${env.observationSpace.toString()} → ${env.actionSpace.toString()}.`,
    );
  }
  return { observationSpace: env.observationSpace, actionSpace: env.actionSpace };
}

/**
 * A RecSim agent as a LoomRL evaluation policy (`evaluatePolicy({ policy })`, or
 * `registerRecSimPolicy(name, agentPolicy(...))` for evaluation threads): a fresh agent per
 * evaluation chunk, driven episode by episode — `beginEpisode` on the reset observation (response
 * `null`), `step` with the last reward, `endEpisode` when the episode ends.
 */
export function agentPolicy(createAgent: AgentFactory): RecSimPolicyFactory {
  return (context) => {
    const agent: RecSimAgent = createAgent(spacesOf(context));
    let begun = false;
    let reward = 0;
    const policy: RecSimPolicy = {
      reset() {
        begun = false;
        reward = 0;
      },
      act(raw) {
        const observation = structuredObservation(raw, agent.constructor.name) as AgentObservation;
        const slate = begun ? agent.step(reward, observation) : agent.beginEpisode({ ...observation, response: null });
        begun = true;
        return Int32Array.from(checkSlate(slate, observation, agent.slateSize, agent.constructor.name));
      },
      observe(step) {
        reward = step.reward;
        if (step.terminated || step.truncated) {
          agent.endEpisode(step.reward, structuredObservation(step.obs, agent.constructor.name) as AgentObservation, step.terminated);
          begun = false;
        }
      },
    };
    return policy;
  };
}
