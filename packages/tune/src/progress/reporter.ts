import type { TrialRecord } from '../storage/experimentState.js';
import { formatCell, statusTable, trialCountLine } from './statusTable.js';

/** What the runner tells a reporter. */
export interface ProgressSnapshot {
  readonly experimentName: string;
  readonly experimentPath: string;
  /** Epoch ms the run started. */
  readonly startTime: number;
  readonly schedulerLine: string;
  readonly cpusUsed: number;
  readonly cpusTotal: number;
  readonly metric: string | null;
  readonly mode: 'min' | 'max' | null;
  readonly trials: readonly TrialRecord[];
}

/** The event behind an update: a trial's result, or a status change. */
export type ProgressEvent =
  | { readonly kind: 'result'; readonly trial: TrialRecord; readonly done: boolean }
  | { readonly kind: 'status'; readonly trial: TrialRecord };

/** Receives the experiment's progress (Tune's `ProgressReporter`). */
export interface ProgressReporter {
  update(snapshot: ProgressSnapshot, event: ProgressEvent): void;
  finish(snapshot: ProgressSnapshot): void;
}

/** Where a console reporter writes: a stream with an optional `isTTY`. */
export interface ReporterSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Options of `ConsoleReporter`. */
export interface ConsoleReporterOptions {
  /** Default `process.stdout`. */
  readonly out?: ReporterSink;
  /** Redraw the live table in place (default: `out.isTTY`). */
  readonly tty?: boolean;
  /** 0 silent, 1 status, 2 and 3 add one line per result (Tune's `verbose`). Default 1. */
  readonly verbose?: 0 | 1 | 2 | 3;
  /** Seconds between live tables on a TTY (Tune's `max_report_frequency`, 5). */
  readonly maxReportFrequencyS?: number;
  /** Epoch ms; injectable for tests. */
  readonly clock?: () => number;
  /** Rows of the live table (Tune's `max_progress_rows`, 20); the final table shows all. */
  readonly maxProgressRows?: number;
}

function duration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(2).padStart(5, '0');
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${sec}`;
}

/**
 * Tune's console output: on a TTY a status block (time, scheduler, CPUs, best trial, result dir,
 * trial counts and the trial table) redrawn in place at most every `maxReportFrequencyS`; when
 * the output is not a TTY, plain lines instead — one per result (`Trial X reported
 * iter=…,ts=…,reward=…`) and one per finished trial — and the full table once at the end.
 */
export class ConsoleReporter implements ProgressReporter {
  private readonly out: ReporterSink;
  private readonly tty: boolean;
  private readonly verbose: number;
  private readonly frequencyMs: number;
  private readonly clock: () => number;
  private readonly maxRows: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawnLines = 0;

  constructor(options: ConsoleReporterOptions = {}) {
    this.out = options.out ?? process.stdout;
    this.tty = options.tty ?? this.out.isTTY === true;
    this.verbose = options.verbose ?? 1;
    this.frequencyMs = (options.maxReportFrequencyS ?? 5) * 1000;
    this.clock = options.clock ?? Date.now;
    this.maxRows = options.maxProgressRows ?? 20;
  }

  /** The status block Tune prints (`== Status ==` …). */
  statusBlock(s: ProgressSnapshot, maxRows: number): string {
    const now = this.clock();
    const lines = [
      '== Status ==',
      `Current time: ${new Date(now).toISOString().replace('T', ' ').slice(0, 19)} (running for ${duration(now - s.startTime)})`,
      s.schedulerLine,
      `Resources requested: ${s.cpusUsed}/${s.cpusTotal} CPUs`,
    ];
    const best = this.bestLine(s);
    if (best !== null) lines.push(best);
    lines.push(`Result logdir: ${s.experimentPath}`, trialCountLine(s.trials));
    return `${lines.join('\n')}\n${statusTable(s.trials, maxRows)}`;
  }

  private bestLine(s: ProgressSnapshot): string | null {
    if (s.metric === null || s.mode === null) return null;
    let best: TrialRecord | null = null;
    for (const t of s.trials) {
      const v = t.lastResult?.[s.metric];
      if (typeof v !== 'number' || Number.isNaN(v)) continue;
      const b = best?.lastResult?.[s.metric] as number | undefined;
      if (best === null || b === undefined || (s.mode === 'max' ? v > b : v < b)) best = t;
    }
    if (best === null) return null;
    return `Current best trial: ${best.trialId} with ${s.metric}=${formatCell(best.lastResult?.[s.metric])} and parameters=${JSON.stringify(best.evaluatedParams)}`;
  }

  update(snapshot: ProgressSnapshot, event: ProgressEvent): void {
    if (this.verbose === 0) return;
    if (this.tty) {
      if (this.clock() - this.lastDraw < this.frequencyMs) return;
      this.lastDraw = this.clock();
      const block = this.statusBlock(snapshot, this.maxRows);
      const clear = this.drawnLines > 0 ? `\u001b[${this.drawnLines}A\u001b[0J` : '';
      this.drawnLines = block.split('\n').length - 1;
      this.out.write(clear + block);
      return;
    }
    if (event.kind !== 'result') return;
    const t = event.trial;
    const r = t.lastResult ?? {};
    const fields = [
      ['iter', r.trainingIteration],
      ['ts', r.timestepsTotal],
      ['reward', r.episodeRewardMean],
      ['time', r.timeTotalS],
    ]
      .map(([k, v]) => `${k}=${formatCell(v)}`)
      .join(',');
    const params = Object.keys(t.evaluatedParams).length > 0 ? ` with parameters=${JSON.stringify(t.evaluatedParams)}` : '';
    this.out.write(`Trial ${t.trialName} reported ${fields}${params}.${event.done ? ' This trial completed.' : ''}\n`);
  }

  finish(snapshot: ProgressSnapshot): void {
    if (this.verbose === 0) return;
    const clear = this.tty && this.drawnLines > 0 ? `\u001b[${this.drawnLines}A\u001b[0J` : '';
    this.drawnLines = 0;
    this.out.write(clear + this.statusBlock(snapshot, Number.POSITIVE_INFINITY));
  }
}
