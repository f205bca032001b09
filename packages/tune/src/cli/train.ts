import type { ExperimentAnalysis } from '../experiment/analysis.js';
import type { ResumeMode, RunExperimentOptions } from '../experiment/options.js';
import { runExperiment } from '../experiment/runExperiment.js';
import { ConsoleReporter } from '../progress/reporter.js';
import { schedulerFromName } from '../schedulers/asha.js';
import { type CliIo, parseJsonFlag, UsageError } from './io.js';
import { configFromRLlibNames } from './rllibNames.js';
import { loadTunedFile, resolveTunedFile, type TunedExperiment } from './tunedFile.js';

/** The flags of `loomrl train` (RLlib's `rllib train`, plus Tune's shared flags). */
export interface TrainFlags {
  run?: string;
  env?: string;
  config?: string;
  stop?: string;
  file?: string;
  name?: string;
  storagePath?: string;
  numSamples?: number;
  checkpointFreq?: number;
  checkpointAtEnd?: boolean;
  keepCheckpointsNum?: number;
  checkpointScoreAttr?: string;
  maxConcurrentTrials?: number;
  maxFailures?: number;
  scheduler?: string;
  schedulerConfig?: string;
  resume?: string | boolean;
  seed?: number;
  metric?: string;
  mode?: 'min' | 'max';
  verbose?: number;
  quiet?: boolean;
  inline?: boolean;
  module?: string[];
}

function resumeMode(flag: string | boolean | undefined): ResumeMode | undefined {
  if (flag === undefined || flag === false) return undefined;
  if (flag === true) return true;
  return flag.toUpperCase() as ResumeMode;
}

/** The experiments `loomrl train` runs: from `-f FILE` (each top-level key), or one from `--run`/`--env`/`--config`. */
async function experimentsFrom(flags: TrainFlags): Promise<TunedExperiment[]> {
  if (flags.file !== undefined) {
    const fromFile = await loadTunedFile(resolveTunedFile(flags.file));
    if (flags.stop !== undefined)
      throw new UsageError('--stop cannot be combined with -f: the file sets stop criteria (as with rllib train file).');
    const overrides = configFromRLlibNames(parseJsonFlag('--config', flags.config) ?? {});
    return fromFile.map((e) => ({ name: e.name, options: { ...e.options, paramSpace: { ...e.options.paramSpace, ...overrides } } }));
  }
  if (flags.run === undefined) throw new UsageError('train needs --run <algorithm> (e.g. --run PPO) or -f <tuned-example file>.');
  const config = configFromRLlibNames(parseJsonFlag('--config', flags.config) ?? {});
  if (flags.env !== undefined) config.env = flags.env;
  if (config.env === undefined) throw new UsageError('train needs an env: --env <id> or "env" in --config.');
  const stop = parseJsonFlag('--stop', flags.stop) as Record<string, number> | undefined;
  const name = flags.name ?? 'default';
  return [{ name, options: { algorithm: flags.run, paramSpace: config, name, ...(stop === undefined ? {} : { stop }) } }];
}

/** Command-line flags override what a file says. */
function withFlags(options: RunExperimentOptions, flags: TrainFlags, io: CliIo, signal: AbortSignal): RunExperimentOptions {
  const schedulerOptions = parseJsonFlag('--scheduler-config', flags.schedulerConfig);
  const scheduler = flags.scheduler === undefined ? undefined : schedulerFromName(flags.scheduler, schedulerOptions);
  const verbose = (flags.quiet ? 0 : Math.min(3, flags.verbose ?? 1)) as 0 | 1 | 2 | 3;
  const paramSpace = flags.seed === undefined ? options.paramSpace : { ...options.paramSpace, seed: flags.seed };
  const set = <K extends keyof RunExperimentOptions>(key: K, value: RunExperimentOptions[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    ...options,
    ...set('paramSpace', paramSpace),
    ...set('name', flags.name ?? options.name),
    ...set('storagePath', flags.storagePath ?? options.storagePath ?? '~/loomrl_results'),
    ...set('numSamples', flags.numSamples),
    ...set('checkpointFreq', flags.checkpointFreq),
    ...set('checkpointAtEnd', flags.checkpointAtEnd),
    ...set('keepCheckpointsNum', flags.keepCheckpointsNum),
    ...set('checkpointScoreAttr', flags.checkpointScoreAttr),
    ...set('maxConcurrentTrials', flags.maxConcurrentTrials),
    ...set('maxFailures', flags.maxFailures),
    ...set('metric', flags.metric ?? options.metric ?? (scheduler === undefined ? undefined : 'episodeRewardMean')),
    ...set('mode', flags.mode ?? options.mode ?? (scheduler === undefined ? undefined : 'max')),
    ...set('scheduler', scheduler),
    ...set('resume', resumeMode(flags.resume)),
    ...set('executor', flags.inline ? 'inline' : undefined),
    ...set('modules', flags.module),
    progressReporter: new ConsoleReporter({ verbose, out: { write: (t: string) => io.out(t), isTTY: io.isTTY } }),
    raiseOnFailedTrial: false,
    signal,
  };
}

function summary(analysis: ExperimentAnalysis, io: CliIo): void {
  io.out('\nYour training finished.\nBest available checkpoint for each trial:\n');
  let first: string | null = null;
  for (const result of analysis.results) {
    const checkpoint = analysis.getBestCheckpoint(
      analysis.trials.find((t) => t.trialId === result.trialId),
      {
        metric: 'episodeRewardMean',
        mode: 'max',
      },
    );
    first ??= checkpoint;
    io.out(
      `  ${result.trialName}: ${checkpoint ?? '(no checkpoint; add --checkpoint-at-end)'}${result.status === 'ERROR' ? `  ERROR: ${result.error}` : ''}\n`,
    );
  }
  io.out(`Results: ${analysis.experimentPath}  (loomrl report ${analysis.experimentPath})\n`);
  if (first !== null) io.out(`Evaluate a checkpoint with:\n  loomrl evaluate ${first} --episodes 10\n`);
}

/** Runs `loomrl train`; resolves to the exit code (0, or 1 when a trial ended in ERROR or the run was interrupted). */
export async function train(flags: TrainFlags, io: CliIo): Promise<number> {
  const experiments = await experimentsFrom(flags);
  const abort = new AbortController();
  const onSignal = () => {
    io.err('\nInterrupted: stopping trials at their next result; run the same command with --resume to continue.\n');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  let code = 0;
  try {
    for (const experiment of experiments) {
      const analysis = await runExperiment(withFlags(experiment.options, flags, io, abort.signal));
      summary(analysis, io);
      if (analysis.numErrors > 0 || abort.signal.aborted) code = 1;
      if (abort.signal.aborted) break;
    }
  } finally {
    process.off('SIGINT', onSignal);
  }
  return code;
}
