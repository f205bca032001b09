import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { TuneError } from '../errors.js';
import { ConsoleReporter, type ProgressReporter, type ProgressSnapshot } from '../progress/reporter.js';
import { FIFOScheduler, type TrialScheduler } from '../schedulers/scheduler.js';
import { type ExperimentState, StateWriter, type TrialRecord } from '../storage/experimentState.js';
import type { TrialExecutor } from '../trial/executor.js';
import { inlineExecutor } from '../trial/inlineExecutor.js';
import { processExecutor } from '../trial/processExecutor.js';
import { ExperimentAnalysis } from './analysis.js';
import { parseScoreAttr } from './checkpointRetention.js';
import { resultKeyFromRLlib } from './flatten.js';
import { dateStamp } from './naming.js';
import type { RunExperimentOptions } from './options.js';
import { type PreparedExperiment, prepareExperiment } from './setup.js';
import { createStopRule, type StopRule } from './stop.js';
import { type DriverContext, TrialDriver } from './trialDriver.js';

function executorOf(option: RunExperimentOptions['executor']): TrialExecutor {
  if (option === undefined || option === 'process') return processExecutor;
  if (option === 'inline') return inlineExecutor;
  if (typeof option === 'function') return option;
  throw new TuneError(`runExperiment({ executor }): expected "process", "inline" or a function, got ${JSON.stringify(option)}.`);
}

class ExperimentRunner {
  private readonly state: ExperimentState;
  private readonly path: string;
  private readonly writer: StateWriter;
  private readonly scheduler: TrialScheduler;
  private readonly reporter: ProgressReporter | null;
  private readonly ctx: DriverContext;
  private readonly running = new Map<string, Promise<void>>();
  private readonly maxConcurrent: number;
  private readonly cpusTotal: number;
  private readonly restoreFrom: Map<string, string>;
  private readonly startTime = Date.now();
  private stopping = false;
  private fatal: Error | null = null;

  constructor(options: RunExperimentOptions, prepared: PreparedExperiment, stopRule: StopRule) {
    this.state = prepared.state;
    this.path = prepared.path;
    this.restoreFrom = prepared.restoreFrom;
    this.writer = new StateWriter(join(this.path, `experiment_state-${dateStamp()}.json`));
    const info = this.state.experiment;
    this.scheduler = options.scheduler ?? new FIFOScheduler();
    const metric = options.metric === undefined ? info.metric : resultKeyFromRLlib(options.metric);
    const mode = options.mode ?? info.mode;
    if (!(this.scheduler instanceof FIFOScheduler)) this.scheduler.setDefaults(metric ?? undefined, mode ?? undefined);
    if (prepared.resumed && this.state.scheduler.name === this.scheduler.name) this.scheduler.setState(this.state.scheduler.state);
    this.reporter =
      options.progressReporter === undefined ? new ConsoleReporter({ verbose: options.verbose ?? 1 }) : options.progressReporter;
    this.cpusTotal = options.numCpus ?? availableParallelism();
    this.maxConcurrent = options.maxConcurrentTrials ?? info.maxConcurrentTrials ?? Number.POSITIVE_INFINITY;
    if (options.signal !== undefined) {
      if (options.signal.aborted) this.stopping = true;
      options.signal.addEventListener('abort', () => this.stopAll(), { once: true });
    }
    this.ctx = {
      experimentPath: this.path,
      executor: executorOf(options.executor),
      modules: options.modules ?? [],
      stopRule,
      scheduler: this.scheduler,
      metric: metric ?? null,
      checkpointFreq: info.checkpointFreq,
      checkpointAtEnd: info.checkpointAtEnd,
      keepCheckpointsNum: info.keepCheckpointsNum,
      checkpointScore: parseScoreAttr(info.checkpointScoreAttr),
      maxFailures: options.maxFailures ?? 0,
      failFast: options.failFast ?? false,
      deadline: options.timeBudgetS === undefined ? null : this.startTime + options.timeBudgetS * 1000,
      stopping: () => this.stopping,
      stopAll: (fatal) => this.stopAll(fatal),
      changed: (trial, event, done) => this.changed(trial, event, done),
    };
  }

  private stopAll(fatal?: Error): void {
    this.stopping = true;
    if (fatal !== undefined && this.fatal === null) this.fatal = fatal;
  }

  private snapshot(): ProgressSnapshot {
    return {
      experimentName: this.state.experiment.name,
      experimentPath: this.path,
      startTime: this.startTime,
      schedulerLine: this.scheduler.describe(),
      cpusUsed: this.cpusUsed(),
      cpusTotal: this.cpusTotal,
      metric: this.ctx.metric,
      mode: this.state.experiment.mode,
      trials: this.state.trials,
    };
  }

  private async saveState(): Promise<void> {
    this.state.experiment.timestamp = Date.now();
    await this.writer.write({ ...this.state, scheduler: { name: this.scheduler.name, state: this.scheduler.getState() } });
  }

  private async changed(trial: TrialRecord, event: 'status' | 'result', done = false): Promise<void> {
    await this.saveState();
    const snapshot = this.snapshot();
    this.reporter?.update(snapshot, event === 'result' ? { kind: 'result', trial, done } : { kind: 'status', trial });
  }

  private cpusUsed(): number {
    return this.state.trials.filter((t) => this.running.has(t.trialId)).reduce((n, t) => n + t.cpus, 0);
  }

  private nextTrial(): TrialRecord | undefined {
    if (this.stopping || this.running.size >= this.maxConcurrent) return undefined;
    const next = this.state.trials.find((t) => t.status === 'PENDING' && !this.running.has(t.trialId));
    if (next === undefined) return undefined;
    // A trial bigger than the whole budget still runs, alone.
    const fits = this.cpusUsed() + next.cpus <= this.cpusTotal || this.running.size === 0;
    return fits ? next : undefined;
  }

  async run(): Promise<void> {
    await this.saveState();
    for (;;) {
      for (let next = this.nextTrial(); next !== undefined; next = this.nextTrial()) {
        const trial = next;
        const driver = new TrialDriver(trial, this.ctx, this.restoreFrom.get(trial.trialId) ?? null);
        this.restoreFrom.delete(trial.trialId);
        trial.stopReason = null;
        const task = driver.run().finally(() => this.running.delete(trial.trialId));
        this.running.set(trial.trialId, task);
      }
      if (this.running.size === 0) break;
      await Promise.race(this.running.values());
    }
    await this.saveState();
    this.reporter?.finish(this.snapshot());
    if (this.fatal !== null) throw this.fatal;
  }
}

/**
 * Runs an experiment in Tune's way: expands the search space into trials, runs them (each in a
 * child process by default, as many at once as the CPU budget and `maxConcurrentTrials` allow),
 * applies stop criteria and the scheduler after every result, checkpoints, writes Tune's layout
 * (`experiment_state-<date>.json`, and per trial `params.json`, `result.json`, `progress.csv`,
 * `checkpoint_<iter>/`, `error.txt`) under `storagePath/name`, and resumes an interrupted or
 * killed experiment with `resume`. Returns the analysis of the experiment dir.
 */
export async function runExperiment(options: RunExperimentOptions): Promise<ExperimentAnalysis> {
  let stopRule = createStopRule(options.stop);
  const prepared = await prepareExperiment(options, stopRule.thresholds);
  if (prepared.resumed && options.stop === undefined && prepared.state.experiment.stop !== null) {
    stopRule = createStopRule(prepared.state.experiment.stop);
  }
  await new ExperimentRunner(options, prepared, stopRule).run();
  const analysis = await ExperimentAnalysis.load(prepared.path);
  if ((options.raiseOnFailedTrial ?? true) && analysis.numErrors > 0) {
    const failed = analysis.errors.map((e) => `${e.trialName}: ${e.error}`).join('; ');
    const error = new TuneError(`Trials did not complete (${analysis.numErrors} in ERROR): ${failed}`);
    Object.assign(error, { analysis });
    throw error;
  }
  return analysis;
}
