import { ConfigError, Dict, type Space, Tuple } from '@loomrl/core';
import type { AgentObservation, AgentSpaces, RecSimAgent, Slate } from '../agent.js';
import { documentsOf } from '../utils.js';
import { AbstractHierarchicalAgentLayer } from './hierarchical.js';
import { recSimParts } from './sufficientStatistics.js';

/** Builds the base agent of a `TemporalAggregationLayer`; it gets the discount it should use per decision. */
export type DiscountedAgentFactory = (spaces: AgentSpaces & { readonly gamma: number }) => RecSimAgent;

/** Options of `TemporalAggregationLayer` (RecSim's defaults: γ 0, period 1, switching cost 1). */
export interface TemporalAggregationOptions extends AgentSpaces {
  readonly gamma?: number;
  /** k: the base agent decides every k steps and the slate is held in between. */
  readonly aggregationPeriod?: number;
  /** Subtracted from the base agent's reward when its decision changed the slate. */
  readonly switchingCost?: number;
  /** Whether two document observations are the same document (default: numbers within 1e-4, integers equal). */
  readonly documentComparison?: (a: unknown, b: unknown) => boolean;
}

/** Numbers (and arrays, records of them) equal within 1e-4. */
export function documentsClose(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-4;
  if (ArrayBuffer.isView(a) || Array.isArray(a)) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    return y !== null && typeof y === 'object' && x.length === y.length && Array.from(x).every((v, i) => documentsClose(v, y[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => documentsClose((a as never)[k], (b as never)[k]));
  }
  return a === b;
}

/**
 * Temporal aggregation (Mladenov et al., arXiv 1905.13559; RecSim's `TemporalAggregationLayer`): the
 * base agent decides every `aggregationPeriod` steps (with discount γᵏ) and the layer holds its slate
 * in between (showing the same documents when the candidates still hold them; otherwise it is a
 * decision step); the base agent's reward is the discounted sum over its decision's period, minus
 * `switchingCost` when that decision changed the slate. With a switching cost the base agent sees
 * `user = { originalObservation, lastSlate }` (the documents of its last slate).
 *
 * Fixes of RecSim's code (which never advances its step counter, so every step is a decision, tests
 * the hold condition the wrong way round, loses the first reward and leaks the last episode's reward
 * into the next one): the period is honoured, held documents are the same documents, and the
 * accumulator and last slate are reset every episode; the caller's observation is never modified.
 */
export class TemporalAggregationLayer extends AbstractHierarchicalAgentLayer {
  readonly gamma: number;
  readonly aggregationPeriod: number;
  readonly switchingCost: number;
  private readonly same: (a: unknown, b: unknown) => boolean;
  private lastSlate: unknown[] | null = null;
  private decisionBefore: unknown[] | null = null;
  private accumulated = 0;
  private discount = 1;
  private stepsSinceDecision = 0;

  /** A layer over the agent `baseAgent` builds. */
  constructor(baseAgent: DiscountedAgentFactory, options: TemporalAggregationOptions) {
    super(options.actionSpace);
    this.gamma = options.gamma ?? 0;
    this.aggregationPeriod = options.aggregationPeriod ?? 1;
    this.switchingCost = options.switchingCost ?? 1;
    if (!Number.isInteger(this.aggregationPeriod) || this.aggregationPeriod < 1) {
      throw new ConfigError(`TemporalAggregationLayer: aggregationPeriod must be an integer >= 1, got ${this.aggregationPeriod}.`);
    }
    this.same = options.documentComparison ?? documentsClose;
    const { user, doc, response } = recSimParts(options.observationSpace, 'TemporalAggregationLayer');
    const docSpace = Object.values(doc.spaces as Record<string, Space<unknown>>)[0] as Space<unknown>;
    const observationSpace =
      this.switchingCost > 0
        ? new Dict({
            user: new Dict({ originalObservation: user, lastSlate: new Tuple(Array.from({ length: this.slateSize }, () => docSpace)) }),
            doc,
            response,
          })
        : options.observationSpace;
    const gammaPerDecision = this.aggregationPeriod > 1 ? this.gamma ** this.aggregationPeriod : this.gamma;
    this.baseAgents = [baseAgent({ observationSpace, actionSpace: options.actionSpace, gamma: gammaPerDecision })];
  }

  private get base(): RecSimAgent {
    return this.baseAgents[0] as RecSimAgent;
  }

  private seen(observation: AgentObservation): AgentObservation {
    if (this.switchingCost <= 0) return observation;
    const lastSlate = this.lastSlate ?? documentsOf(observation.doc).slice(0, this.slateSize);
    return { ...observation, user: { originalObservation: observation.user, lastSlate } };
  }

  private slatesDiffer(a: readonly unknown[] | null, b: readonly unknown[] | null): boolean {
    if (a === null || b === null) return false;
    return a.length !== b.length || a.some((doc, i) => !this.same(doc, b[i]));
  }

  /** The reward of the base agent's last decision: the discounted sum of its period, minus the switching cost. */
  private decisionReward(): number {
    const penalty = this.switchingCost > 0 && this.slatesDiffer(this.lastSlate, this.decisionBefore) ? this.switchingCost : 0;
    return this.accumulated - penalty;
  }

  private decide(slate: Slate, observation: AgentObservation): Slate {
    const docs = documentsOf(observation.doc);
    this.decisionBefore = this.lastSlate;
    this.lastSlate = slate.map((p) => docs[p]);
    this.accumulated = 0;
    this.discount = 1;
    this.stepsSinceDecision = 0;
    return slate;
  }

  /** The held slate's documents at their positions among the current candidates, or `null` when one is gone. */
  private held(observation: AgentObservation): Slate | null {
    if (this.lastSlate === null) return null;
    const docs = documentsOf(observation.doc);
    const slate: Slate = [];
    for (const doc of this.lastSlate) {
      const at = docs.findIndex((d, i) => !slate.includes(i) && this.same(d, doc));
      if (at < 0) return null;
      slate.push(at);
    }
    return slate;
  }

  protected postprocess(slates: readonly Slate[]): Slate {
    return slates[0] ?? [];
  }

  override beginEpisode(observation: AgentObservation): Slate {
    this.lastSlate = null;
    this.decisionBefore = null;
    return this.decide(this.base.beginEpisode(this.seen(observation)), observation);
  }

  step(reward: number, observation: AgentObservation): Slate {
    this.accumulated += this.discount * reward;
    this.discount *= this.gamma;
    this.stepsSinceDecision += 1;
    if (this.stepsSinceDecision < this.aggregationPeriod) {
      const held = this.held(observation);
      if (held !== null) return held;
    }
    return this.decide(this.base.step(this.decisionReward(), this.seen(observation)), observation);
  }

  override endEpisode(reward: number, observation: AgentObservation, terminated = true): void {
    this.accumulated += this.discount * reward;
    this.base.endEpisode(this.decisionReward(), this.seen(observation), terminated);
    this.lastSlate = null;
    this.decisionBefore = null;
    this.accumulated = 0;
    this.discount = 1;
    this.stepsSinceDecision = 0;
  }
}
