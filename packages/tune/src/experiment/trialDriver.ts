import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { TuneError } from '../errors.js';
import type { TrialScheduler } from '../schedulers/scheduler.js';
import type { CheckpointRecord, TrialRecord } from '../storage/experimentState.js';
import { TrialFiles } from '../storage/trialFiles.js';
import type { TrialExecutor, TrialHandle } from '../trial/executor.js';
import { type CheckpointScore, checkpointsToDelete, deleteCheckpointDir } from './checkpointRetention.js';
import { type FlatResult, flattenResult } from './flatten.js';
import { dateStamp } from './naming.js';
import { rewindTrial } from './rewind.js';
import type { StopRule } from './stop.js';

/** What a trial driver shares with the runner. */
export interface DriverContext {
  readonly experimentPath: string;
  readonly executor: TrialExecutor;
  readonly modules: readonly string[];
  readonly stopRule: StopRule;
  readonly scheduler: TrialScheduler;
  readonly metric: string | null;
  readonly checkpointFreq: number;
  readonly checkpointAtEnd: boolean;
  readonly keepCheckpointsNum: number | null;
  readonly checkpointScore: CheckpointScore;
  readonly maxFailures: number;
  readonly failFast: boolean;
  /** Epoch ms after which every trial stops (`timeBudgetS`), or `null`. */
  readonly deadline: number | null;
  /** True once the experiment is being stopped (abort signal, `stopAll`, fail-fast, a fatal error). */
  stopping(): boolean;
  /** Stops the experiment; with an error, `runExperiment` rethrows it. */
  stopAll(fatal?: Error): void;
  /** Persist the experiment state and tell the reporter. */
  changed(trial: TrialRecord, event: 'status' | 'result', done?: boolean): Promise<void>;
}

const NAN_EVALUATION = {
  episodeRewardMean: Number.NaN,
  episodeRewardMin: Number.NaN,
  episodeRewardMax: Number.NaN,
  episodeLenMean: Number.NaN,
  episodesThisIter: 0,
  numEnvStepsSampledThisIter: 0,
};

function numericOnly(flat: FlatResult): FlatResult {
  return Object.fromEntries(Object.entries(flat).filter(([, v]) => typeof v === 'number' || typeof v === 'boolean'));
}

/**
 * Drives one trial: starts its algorithm (restored from its newest checkpoint when resuming or
 * retrying), then per result — auto-filled keys, stop criteria, the scheduler, `done`, the
 * trial files, checkpoints and their retention — until it stops, fails or the experiment ends.
 */
export class TrialDriver {
  private readonly trial: TrialRecord;
  private readonly ctx: DriverContext;
  private readonly files: TrialFiles;
  private restoreFrom: string | null;
  private lastEvaluation: Record<string, unknown> | null = null;

  constructor(trial: TrialRecord, ctx: DriverContext, restoreFrom: string | null) {
    this.trial = trial;
    this.ctx = ctx;
    this.restoreFrom = restoreFrom;
    this.files = new TrialFiles(join(ctx.experimentPath, trial.dirName));
  }

  private get trialDir(): string {
    return join(this.ctx.experimentPath, this.trial.dirName);
  }

  /** Runs the trial to its end (TERMINATED, ERROR, or back to PENDING when the experiment is interrupted). */
  async run(): Promise<void> {
    for (;;) {
      const handle = this.ctx.executor();
      try {
        await this.runOnce(handle);
        return;
      } catch (error) {
        await handle.stop().catch(() => undefined);
        if (error instanceof TuneError) {
          this.fail(error);
          this.ctx.stopAll(error);
          await this.ctx.changed(this.trial, 'status');
          return;
        }
        const retry = await this.recordFailure(error as Error);
        if (!retry) return;
      }
    }
  }

  private fail(error: Error): void {
    this.trial.status = 'ERROR';
    this.trial.error = error.message;
    this.trial.stopReason = 'error';
    this.trial.endTime = Date.now();
  }

  private async recordFailure(error: Error): Promise<boolean> {
    const t = this.trial;
    t.numFailures += 1;
    await this.files.appendError(t.numFailures, error.stack ?? error.message);
    if (this.ctx.failFast) {
      this.fail(error);
      this.ctx.stopAll();
    } else if (t.numFailures <= this.ctx.maxFailures && !this.ctx.stopping()) {
      const newest = t.checkpoints.reduce<CheckpointRecord | null>((a, b) => (a === null || b.iteration > a.iteration ? b : a), null);
      await rewindTrial(this.ctx.experimentPath, t, newest?.iteration ?? 0);
      this.restoreFrom = newest === null ? null : join(this.ctx.experimentPath, newest.path);
      t.lastResult = newest?.metrics ?? null;
      await this.ctx.changed(t, 'status');
      return true;
    } else {
      this.fail(error);
    }
    await this.ctx.changed(t, 'status');
    return false;
  }

  private async runOnce(handle: TrialHandle): Promise<void> {
    const t = this.trial;
    t.status = 'RUNNING';
    t.pid = handle.pid;
    t.startTime = Date.now();
    await this.ctx.changed(t, 'status');
    await handle.start({ config: t.config, restoreFrom: this.restoreFrom, modules: this.ctx.modules });
    const restoredAt = { time: Number(t.lastResult?.timeTotalS ?? 0), steps: Number(t.lastResult?.timestepsTotal ?? 0) };
    let iterationsSinceRestore = 0;
    for (;;) {
      const raw = await handle.train();
      iterationsSinceRestore += 1;
      const result = this.augment(raw, handle.pid, iterationsSinceRestore, restoredAt);
      const { config: _config, ...rest } = result;
      const flat = flattenResult(rest);
      if (iterationsSinceRestore === 1 && this.ctx.metric !== null && !(this.ctx.metric in flat)) {
        throw new TuneError(
          `The metric "${this.ctx.metric}" is not in the trial's results; keys are ${Object.keys(flat).slice(0, 30).join(', ')}, ...`,
        );
      }
      const reason = this.stopReason(result, flat);
      result.done = reason !== null;
      flat.done = result.done;
      await this.files.appendResult(result);
      t.lastResult = numericOnly(flat);
      const iteration = Number(raw.trainingIteration);
      const due =
        (this.ctx.checkpointFreq > 0 && iteration % this.ctx.checkpointFreq === 0) || (reason !== null && this.ctx.checkpointAtEnd);
      if (due) await this.checkpoint(handle, iteration, t.lastResult);
      if (reason !== null) {
        t.stopReason = reason;
        await handle.stop();
        t.status = 'TERMINATED';
        t.endTime = Date.now();
        await this.ctx.changed(t, 'result', true);
        return;
      }
      if (this.ctx.stopping()) {
        // Interrupted: the trial continues from its newest checkpoint when the experiment is resumed.
        await handle.stop();
        t.status = 'PENDING';
        t.stopReason = 'interrupted';
        await this.ctx.changed(t, 'result');
        return;
      }
      await this.ctx.changed(t, 'result');
    }
  }

  private stopReason(result: Record<string, unknown>, flat: FlatResult): string | null {
    const criteria = this.ctx.stopRule.check(this.trial.trialId, result, flat);
    if (criteria !== null) return criteria;
    if (this.ctx.scheduler.onResult(this.trial.trialId, flat) === 'STOP') return 'scheduler';
    if (this.ctx.deadline !== null && Date.now() >= this.ctx.deadline) return 'time budget';
    if (this.ctx.stopRule.stopAll()) {
      this.ctx.stopAll();
      return 'stopper';
    }
    return null;
  }

  private augment(
    raw: Record<string, unknown>,
    pid: number,
    iterationsSinceRestore: number,
    restoredAt: { time: number; steps: number },
  ): Record<string, unknown> {
    const t = this.trial;
    const interval = Number(t.config.evaluationInterval ?? 0);
    let evaluation = raw.evaluation as Record<string, unknown> | undefined;
    if (evaluation !== undefined) this.lastEvaluation = evaluation;
    // RLlib's always_attach_evaluation_results: the last evaluation (NaN before the first) on every result.
    if (evaluation === undefined && interval > 0) evaluation = this.lastEvaluation ?? NAN_EVALUATION;
    return {
      ...raw,
      ...(evaluation === undefined ? {} : { evaluation }),
      trialId: t.trialId,
      experimentTag: t.experimentTag,
      date: dateStamp(),
      timestamp: Math.floor(Date.now() / 1000),
      pid,
      hostname: hostname(),
      timeSinceRestore: Number(raw.timeTotalS ?? 0) - restoredAt.time,
      iterationsSinceRestore,
      timestepsSinceRestore: Number(raw.timestepsTotal ?? 0) - restoredAt.steps,
      done: false,
      config: t.config,
    };
  }

  private async checkpoint(handle: TrialHandle, iteration: number, metrics: FlatResult): Promise<void> {
    const dir = join(this.trialDir, `checkpoint_${String(iteration).padStart(6, '0')}`);
    await handle.save(dir);
    const t = this.trial;
    t.checkpoints = [
      ...t.checkpoints.filter((c) => c.iteration !== iteration),
      { iteration, path: relative(this.ctx.experimentPath, dir), metrics },
    ];
    for (const old of checkpointsToDelete(t.checkpoints, this.ctx.keepCheckpointsNum, this.ctx.checkpointScore)) {
      await deleteCheckpointDir(join(this.ctx.experimentPath, old.path));
      t.checkpoints = t.checkpoints.filter((c) => c !== old);
    }
  }
}
