import { ConfigError, Dict, type Space, Tuple } from '@loomrl/core';
import type { AgentFactory, AgentObservation, AgentSpaces } from '../agent.js';
import { recSimParts, SufficientStatisticsLayer } from './sufficientStatistics.js';

/** Options of `FixedLengthHistoryLayer`. */
export interface FixedLengthHistoryOptions extends AgentSpaces {
  /** H, the observations remembered (≥ 1). */
  readonly historyLength: number;
  /** Which parts to remember: `user` and `response` by default, `doc` not. */
  readonly rememberUser?: boolean;
  readonly rememberResponse?: boolean;
  readonly rememberDoc?: boolean;
}

/** One remembered observation: the enabled parts. */
export type HistoryEntry = Partial<Pick<AgentObservation, 'user' | 'doc' | 'response'>>;

/**
 * Remembers the last H observations (the enabled parts), newest first, and gives them to its base
 * agent as `user.sufficientStatistics` (RecSim's `FixedLengthHistoryLayer`): entry 0 is the current
 * observation (with the response to the previous slate); missing entries are `null`. Reset per episode.
 */
export class FixedLengthHistoryLayer extends SufficientStatisticsLayer<(HistoryEntry | null)[]> {
  readonly historyLength: number;
  private readonly features: readonly ('user' | 'doc' | 'response')[];

  /** A layer over `baseAgent` remembering `options.historyLength` observations. */
  constructor(baseAgent: AgentFactory, options: FixedLengthHistoryOptions) {
    const { historyLength } = options;
    if (!Number.isInteger(historyLength) || historyLength < 1) {
      throw new ConfigError(`FixedLengthHistoryLayer: historyLength must be an integer >= 1, got ${historyLength}.`);
    }
    const features = (
      [
        ['user', options.rememberUser ?? true],
        ['response', options.rememberResponse ?? true],
        ['doc', options.rememberDoc ?? false],
      ] as const
    ).flatMap(([name, on]) => (on ? [name] : []));
    const parts = recSimParts(options.observationSpace, 'FixedLengthHistoryLayer') as Record<string, Space<unknown>>;
    const entry = new Dict(Object.fromEntries(features.map((f) => [f, parts[f] as Space<unknown>])));
    super(baseAgent, options, new Tuple(Array.from({ length: historyLength }, () => entry)));
    this.historyLength = historyLength;
    this.features = features;
  }

  protected update(observation: AgentObservation): void {
    this.statistics ??= new Array<HistoryEntry | null>(this.historyLength).fill(null);
    const entry: Record<string, unknown> = {};
    for (const f of this.features) entry[f] = observation[f];
    this.statistics = [entry as HistoryEntry, ...this.statistics.slice(0, this.historyLength - 1)];
  }

  protected createObservation(): (HistoryEntry | null)[] {
    return [...(this.statistics ?? [])];
  }
}
