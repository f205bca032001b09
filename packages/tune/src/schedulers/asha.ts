import { createRng, Rng, type RngState } from '@loomrl/core';
import { describeValue } from '@loomrl/core/internal';
import { TuneError } from '../errors.js';
import { type FlatResult, resultKeyFromRLlib } from '../experiment/flatten.js';
import type { SchedulerDecision, TrialScheduler } from './scheduler.js';

/** Options of `ASHAScheduler` (Ray's `AsyncHyperBandScheduler`, camelCased). */
export interface ASHAOptions {
  /** The progress key rungs are measured in (Ray `time_attr`). */
  readonly timeAttr?: string;
  readonly metric?: string;
  readonly mode?: 'min' | 'max';
  /** Trials stop at this `timeAttr` value (Ray `max_t`). */
  readonly maxT?: number;
  /** First rung (Ray `grace_period`). */
  readonly gracePeriod?: number;
  /** Keep the top 1/reductionFactor at each rung (Ray `reduction_factor`). */
  readonly reductionFactor?: number;
  /** Number of brackets (Ray `brackets`). */
  readonly brackets?: number;
  /** Stop trials that reach `maxT` (Ray `stop_last_trials`). */
  readonly stopLastTrials?: boolean;
  /** Seed of the bracket choice when `brackets > 1`. */
  readonly seed?: number;
}

interface Rung {
  readonly milestone: number;
  /** trialId → metric value (negated for `mode: 'min'`). */
  recorded: Record<string, number>;
}

/** Linear-interpolated percentile ignoring NaN (numpy's `nanpercentile`, default method). */
export function nanPercentile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (q / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (position - lower);
}

function positive(name: string, value: number, integer = false): number {
  if (typeof value !== 'number' || !(value > 0) || (integer && !Number.isInteger(value))) {
    throw new TuneError(`ASHAScheduler({ ${name} }): expected a positive ${integer ? 'integer' : 'number'}, got ${describeValue(value)}.`);
  }
  return value;
}

/**
 * Asynchronous Successive Halving (Ray's `ASHAScheduler`): rungs at `gracePeriod · rf^k` up to
 * `maxT`; when a trial first reaches the highest rung it has not recorded at, it stops if its
 * metric is below the `(1 − 1/rf)` quantile of the values recorded there (the first trial at a
 * rung always goes on); no trial waits for another.
 */
export class ASHAScheduler implements TrialScheduler {
  readonly name = 'AsyncHyperBand';
  readonly timeAttr: string;
  metric: string | undefined;
  mode: 'min' | 'max' | undefined;
  readonly maxT: number;
  readonly gracePeriod: number;
  readonly reductionFactor: number;
  readonly stopLastTrials: boolean;
  private brackets: Rung[][];
  private trialBracket: Record<string, number> = {};
  private numStopped = 0;
  private rng: Rng;

  constructor(options: ASHAOptions = {}) {
    this.timeAttr = resultKeyFromRLlib(options.timeAttr ?? 'trainingIteration');
    this.metric = options.metric === undefined ? undefined : resultKeyFromRLlib(options.metric);
    this.mode = options.mode;
    if (this.mode !== undefined && this.mode !== 'min' && this.mode !== 'max') {
      throw new TuneError(`ASHAScheduler({ mode }): expected "min" or "max", got ${describeValue(this.mode)}.`);
    }
    this.maxT = positive('maxT', options.maxT ?? 100);
    this.gracePeriod = positive('gracePeriod', options.gracePeriod ?? 1);
    this.reductionFactor = positive('reductionFactor', options.reductionFactor ?? 4);
    if (this.reductionFactor <= 1) throw new TuneError(`ASHAScheduler({ reductionFactor }): expected > 1, got ${this.reductionFactor}.`);
    if (this.gracePeriod > this.maxT) throw new TuneError(`ASHAScheduler: gracePeriod ${this.gracePeriod} exceeds maxT ${this.maxT}.`);
    const numBrackets = positive('brackets', options.brackets ?? 1, true);
    this.stopLastTrials = options.stopLastTrials ?? true;
    this.rng = createRng(options.seed ?? 0, 'asha');
    this.brackets = Array.from({ length: numBrackets }, (_, s) => this.rungsFor(s));
  }

  private rungsFor(s: number): Rung[] {
    const maxRungs = Math.trunc(Math.log(this.maxT / this.gracePeriod) / Math.log(this.reductionFactor) - s + 1);
    const rungs: Rung[] = [];
    for (let k = maxRungs - 1; k >= 0; k--) rungs.push({ milestone: this.gracePeriod * this.reductionFactor ** (k + s), recorded: {} });
    return rungs;
  }

  /** The rung milestones of bracket 0, lowest first (for the report). */
  get milestones(): number[] {
    return (this.brackets[0] ?? []).map((r) => r.milestone).reverse();
  }

  setDefaults(metric: string | undefined, mode: 'min' | 'max' | undefined): void {
    if (this.metric !== undefined && metric !== undefined && this.metric !== metric) {
      throw new TuneError(`The scheduler ranks by "${this.metric}" but the run's metric is "${metric}"; set it in one place.`);
    }
    if (this.mode !== undefined && mode !== undefined && this.mode !== mode) {
      throw new TuneError(`The scheduler's mode is "${this.mode}" but the run's mode is "${mode}"; set it in one place.`);
    }
    this.metric ??= metric;
    this.mode ??= mode;
    if (this.metric === undefined || this.mode === undefined) {
      throw new TuneError('ASHAScheduler needs a metric and a mode: pass them to the scheduler or to runExperiment({ metric, mode }).');
    }
  }

  private bracketOf(trialId: string): Rung[] {
    let index = this.trialBracket[trialId];
    if (index === undefined) {
      // Bracket s is chosen with probability ∝ e^(its number of rungs), as Ray does.
      const weights = this.brackets.map((b) => Math.exp(b.length));
      const total = weights.reduce((a, b) => a + b, 0);
      let u = this.rng.random() * total;
      index = 0;
      while (index < weights.length - 1 && u >= (weights[index] as number)) u -= weights[index++] as number;
      this.trialBracket[trialId] = index;
    }
    return this.brackets[index] as Rung[];
  }

  onResult(trialId: string, result: FlatResult): SchedulerDecision {
    const time = result[this.timeAttr];
    const raw = result[this.metric as string];
    if (typeof time !== 'number' || typeof raw !== 'number') return 'CONTINUE';
    if (time >= this.maxT && this.stopLastTrials) return this.stop();
    const value = this.mode === 'min' ? -raw : raw;
    for (const rung of this.bracketOf(trialId)) {
      if (time < rung.milestone || trialId in rung.recorded) continue;
      const recorded = Object.values(rung.recorded);
      const cutoff = recorded.length === 0 ? Number.NaN : nanPercentile(recorded, (1 - 1 / this.reductionFactor) * 100);
      rung.recorded[trialId] = value;
      if (!Number.isNaN(cutoff) && value < cutoff) return this.stop();
      return 'CONTINUE';
    }
    return 'CONTINUE';
  }

  private stop(): SchedulerDecision {
    this.numStopped += 1;
    return 'STOP';
  }

  describe(): string {
    return `Using AsyncHyperBand: num_stopped=${this.numStopped}`;
  }

  getState(): Record<string, unknown> {
    return { brackets: this.brackets, trialBracket: this.trialBracket, numStopped: this.numStopped, rng: this.rng.getState() };
  }

  setState(state: Record<string, unknown>): void {
    if (Array.isArray(state.brackets)) this.brackets = structuredClone(state.brackets) as Rung[][];
    if (typeof state.trialBracket === 'object' && state.trialBracket !== null)
      this.trialBracket = { ...(state.trialBracket as Record<string, number>) };
    if (typeof state.numStopped === 'number') this.numStopped = state.numStopped;
    if (typeof state.rng === 'object' && state.rng !== null) this.rng = Rng.fromState(state.rng as RngState);
  }
}

/** Builds a scheduler from its CLI/YAML name and options: `fifo`, `asha` / `async_hyperband`. */
export function schedulerFromName(name: string, options: Record<string, unknown> = {}): TrialScheduler | undefined {
  const key = name.toLowerCase();
  if (key === 'fifo') return undefined;
  if (key === 'asha' || key === 'async_hyperband' || key === 'asynchyperband') {
    const camel: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(options)) camel[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
    return new ASHAScheduler(camel as ASHAOptions);
  }
  throw new TuneError(`Unknown scheduler "${name}": expected "fifo" or "asha" (PBT and HyperBand are not implemented).`);
}
