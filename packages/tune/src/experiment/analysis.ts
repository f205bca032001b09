import { isAbsolute, join } from 'node:path';
import { TuneError } from '../errors.js';
import { type CheckpointRecord, type ExperimentState, readExperimentState, type TrialRecord } from '../storage/experimentState.js';
import { stringifyFinite } from '../storage/jsonFiles.js';
import { readTrialHistory } from '../storage/trialFiles.js';
import { parseScoreAttr, scoreOf } from './checkpointRetention.js';
import { type FlatResult, resultKeyFromRLlib } from './flatten.js';

/** How a trial's history is reduced to one number when comparing trials (Tune's `scope`). */
export type Scope = 'last' | 'avg' | 'last-5-avg' | 'last-10-avg' | 'all';

/** Which metric, direction and scope pick the best trial. */
export interface BestOptions {
  readonly metric?: string;
  readonly mode?: 'min' | 'max';
  readonly scope?: Scope;
}

/** One trial's outcome (Tune's `Result`). */
export interface TrialResult {
  readonly trialId: string;
  readonly trialName: string;
  readonly status: TrialRecord['status'];
  readonly config: Record<string, unknown>;
  readonly evaluatedParams: Record<string, unknown>;
  /** The last result, flattened. */
  readonly metrics: FlatResult;
  /** The trial dir (absolute). */
  readonly path: string;
  /** The newest kept checkpoint (absolute path), or `null`. */
  readonly checkpoint: string | null;
  /** Every kept checkpoint with the metrics it was taken at. */
  readonly bestCheckpoints: ReadonlyArray<{ readonly path: string; readonly metrics: FlatResult }>;
  readonly error: string | null;
  readonly stopReason: string | null;
}

/** One row per trial: the last result flattened, plus `config/<key>` columns, `trialId`, `status` and `logdir`. */
export type TrialRow = Record<string, unknown>;

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The outcome of an experiment, loadable from its directory at any time (finished, interrupted
 * or crashed): trials, their histories, the best trial / result / checkpoint (Tune's
 * `ExperimentAnalysis` and `ResultGrid` in one).
 */
export class ExperimentAnalysis {
  /** The experiment dir (absolute). */
  readonly experimentPath: string;
  readonly state: ExperimentState;
  /** trialId → flattened history (one row per iteration). */
  readonly trialHistories: ReadonlyMap<string, readonly FlatResult[]>;
  private readonly defaultMetric: string | undefined;
  private readonly defaultMode: 'min' | 'max' | undefined;

  constructor(experimentPath: string, state: ExperimentState, histories: ReadonlyMap<string, readonly FlatResult[]>) {
    this.experimentPath = experimentPath;
    this.state = state;
    this.trialHistories = histories;
    this.defaultMetric = state.experiment.metric ?? undefined;
    this.defaultMode = state.experiment.mode ?? undefined;
  }

  /** Loads an experiment dir (its newest `experiment_state-*.json` and every trial's `result.json` or `progress.csv`). */
  static async load(dir: string): Promise<ExperimentAnalysis> {
    const state = await readExperimentState(dir);
    if (state === undefined) throw new TuneError(`No experiment_state-*.json in "${dir}": is it an experiment directory?`);
    const histories = new Map<string, FlatResult[]>();
    for (const trial of state.trials) histories.set(trial.trialId, await readTrialHistory(join(dir, trial.dirName)));
    return new ExperimentAnalysis(dir, state, histories);
  }

  /** Every trial, in creation order. */
  get trials(): readonly TrialRecord[] {
    return this.state.trials;
  }

  /** Number of trials that ended in ERROR, and their results. */
  get errors(): TrialResult[] {
    return this.results.filter((r) => r.status === 'ERROR');
  }

  get numErrors(): number {
    return this.errors.length;
  }

  get numTerminated(): number {
    return this.trials.filter((t) => t.status === 'TERMINATED').length;
  }

  private absolute(path: string): string {
    return isAbsolute(path) ? path : join(this.experimentPath, path);
  }

  private toResult(trial: TrialRecord): TrialResult {
    const history = this.trialHistories.get(trial.trialId) ?? [];
    const last = history.at(-1) ?? trial.lastResult ?? {};
    const newest = trial.checkpoints.reduce<CheckpointRecord | null>((a, b) => (a === null || b.iteration > a.iteration ? b : a), null);
    return {
      trialId: trial.trialId,
      trialName: trial.trialName,
      status: trial.status,
      config: trial.config,
      evaluatedParams: trial.evaluatedParams,
      metrics: last,
      path: join(this.experimentPath, trial.dirName),
      checkpoint: newest === null ? null : this.absolute(newest.path),
      bestCheckpoints: trial.checkpoints.map((c) => ({ path: this.absolute(c.path), metrics: c.metrics })),
      error: trial.error,
      stopReason: trial.stopReason,
    };
  }

  /** One `TrialResult` per trial. */
  get results(): TrialResult[] {
    return this.trials.map((t) => this.toResult(t));
  }

  /** One row per trial (the last result, flattened, with `config/…`, `trialId`, `status`, `logdir`). */
  get rows(): TrialRow[] {
    return this.results.map((r) => {
      const config = Object.fromEntries(Object.entries(r.evaluatedParams).map(([k, v]) => [`config/${k}`, v]));
      return { trialId: r.trialId, trialName: r.trialName, status: r.status, ...r.metrics, ...config, logdir: r.path };
    });
  }

  private resolve(options: BestOptions): { metric: string; mode: 'min' | 'max'; scope: Scope } {
    const metric = options.metric ?? this.defaultMetric;
    const mode = options.mode ?? this.defaultMode;
    if (metric === undefined || mode === undefined) {
      throw new TuneError('No metric/mode to rank trials by: pass { metric, mode } here or to runExperiment({ metric, mode }).');
    }
    if (mode !== 'min' && mode !== 'max') throw new TuneError(`mode: expected "min" or "max", got ${JSON.stringify(mode)}.`);
    return { metric: resultKeyFromRLlib(metric), mode, scope: options.scope ?? 'last' };
  }

  private scoreOf(trialId: string, metric: string, mode: 'min' | 'max', scope: Scope): number | undefined {
    const values = (this.trialHistories.get(trialId) ?? []).map((row) => row[metric]).filter(finite);
    if (values.length === 0) return undefined;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    switch (scope) {
      case 'last':
        return values.at(-1);
      case 'avg':
        return mean(values);
      case 'last-5-avg':
        return mean(values.slice(-5));
      case 'last-10-avg':
        return mean(values.slice(-10));
      case 'all':
        return mode === 'max' ? Math.max(...values) : Math.min(...values);
    }
  }

  /** The best trial by `metric`/`mode` over `scope` (default `last`); NaN and infinite values are skipped; `null` when none has the metric. */
  getBestTrial(options: BestOptions = {}): TrialRecord | null {
    const { metric, mode, scope } = this.resolve(options);
    let best: TrialRecord | null = null;
    let bestScore = 0;
    for (const trial of this.trials) {
      const score = this.scoreOf(trial.trialId, metric, mode, scope);
      if (score === undefined) continue;
      if (best === null || (mode === 'max' ? score > bestScore : score < bestScore)) {
        best = trial;
        bestScore = score;
      }
    }
    return best;
  }

  /** The best trial's result (Tune's `ResultGrid.get_best_result`); `null` when no trial reported the metric. */
  getBestResult(options: BestOptions = {}): TrialResult | null {
    const trial = this.getBestTrial(options);
    return trial === null ? null : this.toResult(trial);
  }

  /** The best trial's config. */
  getBestConfig(options: BestOptions = {}): Record<string, unknown> | null {
    return this.getBestTrial(options)?.config ?? null;
  }

  /**
   * The best kept checkpoint of `trial` (default: the best trial) by the metrics recorded with
   * each checkpoint; `null` when it has none.
   */
  getBestCheckpoint(trial?: TrialRecord | null, options: BestOptions = {}): string | null {
    const { metric, mode } = this.resolve(options);
    const target = trial === undefined ? this.getBestTrial(options) : trial;
    if (target === null || target.checkpoints.length === 0) return null;
    const score = parseScoreAttr(mode === 'min' ? `min-${metric}` : metric);
    const ranked = [...target.checkpoints].sort((a, b) => scoreOf(b, score) - scoreOf(a, score) || b.iteration - a.iteration);
    const best = ranked[0] as CheckpointRecord;
    return this.absolute(best.path);
  }

  /** The newest checkpoint of `trial` (default: the best trial). */
  getLastCheckpoint(trial?: TrialRecord | null, options: BestOptions = {}): string | null {
    const target = trial === undefined ? this.getBestTrial(options) : trial;
    return target === null ? null : this.toResult(target).checkpoint;
  }

  /** The best checkpoint of the best trial, by the run's metric and mode (Tune's `best_checkpoint`). */
  get bestCheckpoint(): string | null {
    return this.getBestCheckpoint();
  }

  /** The best trial by the run's metric and mode (Tune's `best_trial`). */
  get bestTrial(): TrialRecord | null {
    return this.getBestTrial();
  }

  /** The best trial's last result (Tune's `best_result`). */
  get bestResult(): FlatResult | null {
    return this.getBestResult()?.metrics ?? null;
  }

  /** `rows` as CSV (the union of their keys as the header). */
  toCSV(): string {
    const rows = this.rows;
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const cell = (v: unknown) => {
      if (v === undefined || v === null) return '';
      const text = typeof v === 'string' ? v : typeof v === 'number' ? (Number.isNaN(v) ? 'nan' : String(v)) : stringifyFinite(v);
      return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    return `${[keys.join(','), ...rows.map((r) => keys.map((k) => cell(r[k])).join(','))].join('\n')}\n`;
  }
}
