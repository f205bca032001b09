import { type Box, ConfigError, createRng, Dict, type Rng, type Space, Tuple } from '@loomrl/core';
import { zeroElement } from '../framework/spaceValues.js';
import { AbstractEpisodicRecommenderAgent, type AgentBundle, type AgentObservation, type AgentSpaces, type Slate } from './agent.js';
import { recSimParts } from './layers/sufficientStatistics.js';
import { digitize, documentsOf, epsilonGreedyExploration, minCountExploration, SpaceWalker, slatesOf } from './utils.js';

/** Options of `TabularQAgent` (RecSim's defaults). */
export interface TabularQAgentOptions extends AgentSpaces {
  /** Greedy and not learning (default false). */
  readonly evalMode?: boolean;
  /** Leave the response out of the state (default true). */
  readonly ignoreResponse?: boolean;
  /** Box values are binned into `numberBins` bins between these bounds (default [0, 10]). */
  readonly discretizationBounds?: readonly [number, number];
  readonly numberBins?: number;
  /** `'epsilonGreedy'` (default) or `'minCount'`. */
  readonly explorationPolicy?: 'epsilonGreedy' | 'minCount';
  /** ε₀; ε ← ε·ε₀ after every episode (default 0.99). */
  readonly explorationTemperature?: number;
  readonly learningRate?: number;
  readonly gamma?: number;
  /** Slates as ordered tuples (permutations) instead of sets (combinations) (default false). */
  readonly ordinalSlates?: boolean;
  /** Seeds the exploration stream (RecSim uses numpy's global one). */
  readonly randomSeed?: number;
}

/**
 * Tabular Q-learning over (user, slate documents[, response]) keys (RecSim's `TabularQAgent`): the
 * state–action pair is discretised by walking `Dict(action: the slate's document observations,
 * [response,] user)` (Box values binned, Discrete values kept), and after each step
 * `Q(prev) ← lr·(r + γ·max_A Q(s, A)) + (1 − lr)·Q(prev)` over the slates buildable from the
 * current candidates.
 *
 * Fixed (RecSim never learns the last reward of an episode): `endEpisode` applies
 * `Q(prev) ← lr·r + (1 − lr)·Q(prev)` (bootstrapping from the final observation when the episode was
 * cut, not terminated). A missing response (the reset observation) counts as the all-zero response.
 */
export class TabularQAgent extends AbstractEpisodicRecommenderAgent {
  /** Q by state–action key. */
  readonly qTable = new Map<string, number>();
  /** Updates by state–action key. */
  readonly counts = new Map<string, number>();
  /** The current exploration ε. */
  epsilon: number;
  /** The learning rate (a field, so a caller may schedule it). */
  learningRate: number;
  readonly gamma: number;
  private readonly options: Required<Omit<TabularQAgentOptions, keyof AgentSpaces | 'randomSeed'>>;
  private readonly walker: SpaceWalker;
  private readonly rng: Rng;
  private readonly responseSpace: Space<unknown>;
  private previousKey: string | null = null;

  /** An agent for `options`' spaces. */
  constructor(options: TabularQAgentOptions) {
    super(options.actionSpace);
    this.options = {
      evalMode: options.evalMode ?? false,
      ignoreResponse: options.ignoreResponse ?? true,
      discretizationBounds: options.discretizationBounds ?? [0, 10],
      numberBins: options.numberBins ?? 100,
      explorationPolicy: options.explorationPolicy ?? 'epsilonGreedy',
      explorationTemperature: options.explorationTemperature ?? 0.99,
      learningRate: options.learningRate ?? 0.1,
      gamma: options.gamma ?? 0.99,
      ordinalSlates: options.ordinalSlates ?? false,
    };
    if (!['epsilonGreedy', 'minCount'].includes(this.options.explorationPolicy)) {
      throw new ConfigError(
        `TabularQAgent: explorationPolicy must be "epsilonGreedy" or "minCount", got "${this.options.explorationPolicy}".`,
      );
    }
    this.epsilon = this.options.explorationTemperature;
    this.learningRate = this.options.learningRate;
    this.gamma = this.options.gamma;
    this.rng = createRng(options.randomSeed ?? 0, 'TabularQAgent');
    const { user, doc, response } = recSimParts(options.observationSpace, 'TabularQAgent');
    this.responseSpace = response;
    const docSpace = Object.values(doc.spaces as Record<string, Space<unknown>>)[0] as Space<unknown>;
    const action = new Tuple(Array.from({ length: this.slateSize }, () => docSpace));
    // Gym's sorted key order: action, response, user.
    const stateAction = this.options.ignoreResponse ? new Dict({ action, user }) : new Dict({ action, response, user });
    const [low, high] = this.options.discretizationBounds;
    const bins = this.options.numberBins;
    this.walker = new SpaceWalker(stateAction, (space, values) =>
      space.type === 'Box'
        ? values.flatMap((v) =>
            Array.from({ length: (space as Box).flatDim }, (_, i) => digitize((v as ArrayLike<number>)[i] as number, low, high, bins)),
          )
        : values.map((v) => v as number),
    );
  }

  /** The state–action key of showing `slate` in `observation`. */
  keyOf(observation: AgentObservation, slate: Slate): string {
    const docs = documentsOf(observation.doc);
    const value: Record<string, unknown> = { action: slate.map((p) => docs[p]), user: observation.user };
    if (!this.options.ignoreResponse) value.response = observation.response ?? zeroElement(this.responseSpace);
    return this.walker.applyAndFlatten([value]).join(',');
  }

  private *actions(observation: AgentObservation): Generator<readonly [Slate, string]> {
    const numCandidates = Object.keys(observation.doc).length;
    for (const slate of slatesOf(numCandidates, this.slateSize, this.options.ordinalSlates)) yield [slate, this.keyOf(observation, slate)];
  }

  private best(observation: AgentObservation): { slate: Slate; key: string; q: number } {
    let best: { slate: Slate; key: string; q: number } | null = null;
    for (const [slate, key] of this.actions(observation)) {
      const q = this.qTable.get(key) ?? 0;
      if (best === null || q > best.q) best = { slate, key, q };
    }
    if (best === null) throw new ConfigError('TabularQAgent: the observation has fewer candidates than a slate holds.');
    return best;
  }

  private learn(target: number): void {
    if (this.previousKey === null) return;
    const key = this.previousKey;
    this.qTable.set(key, this.learningRate * target + (1 - this.learningRate) * (this.qTable.get(key) ?? 0));
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  step(reward: number, observation: AgentObservation): Slate {
    const best = this.best(observation);
    this.learn(reward + this.gamma * best.q);
    if (this.options.evalMode) return best.slate;
    const picked =
      this.options.explorationPolicy === 'minCount'
        ? minCountExploration(this.actions(observation), this.counts)
        : epsilonGreedyExploration(this.actions(observation), this.qTable, this.epsilon, this.rng);
    const [slate, key] = picked as readonly [Slate, string];
    this.previousKey = key;
    return slate;
  }

  override endEpisode(reward: number, observation: AgentObservation, terminated = true): void {
    if (!this.options.evalMode) this.learn(reward + (terminated ? 0 : this.gamma * this.best(observation).q));
    this.epsilon *= this.options.explorationTemperature;
    this.previousKey = null;
  }

  override bundleAndCheckpoint(checkpointDir: string, iteration: number): AgentBundle | null {
    return {
      ...super.bundleAndCheckpoint(checkpointDir, iteration),
      q_value_table: Object.fromEntries(this.qTable),
      sa_count: Object.fromEntries(this.counts),
      epsilon: this.epsilon,
    };
  }

  override unbundle(checkpointDir: string, iteration: number, bundle: AgentBundle): boolean {
    const table = bundle.q_value_table;
    if (typeof table !== 'object' || table === null) return false;
    super.unbundle(checkpointDir, iteration, bundle);
    this.qTable.clear();
    for (const [k, v] of Object.entries(table as Record<string, number>)) this.qTable.set(k, v);
    this.counts.clear();
    for (const [k, v] of Object.entries((bundle.sa_count ?? {}) as Record<string, number>)) this.counts.set(k, v);
    if (typeof bundle.epsilon === 'number') this.epsilon = bundle.epsilon;
    return true;
  }
}
