import '@loomrl/algorithms';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { AlgorithmConfig, type AlgorithmConfigJSON, configFromJSON } from '@loomrl/core';
import { describeValue, lookupAlgorithm } from '@loomrl/core/internal';
import { TuneError } from '../errors.js';
import { parseSearchSpace } from '../search/space.js';
import { generateVariants, mergeSpace } from '../search/variants.js';
import { type ExperimentInfo, type ExperimentState, readExperimentState, type TrialRecord } from '../storage/experimentState.js';
import { TrialFiles } from '../storage/trialFiles.js';
import { dateStamp, newExperimentPrefix, trialDirNameFor, trialIdFor, trialNameFor } from './naming.js';
import type { ResumeMode, RunExperimentOptions } from './options.js';
import { rewindTrial } from './rewind.js';

/** Where an experiment lives and what it holds when the loop starts. */
export interface PreparedExperiment {
  readonly path: string;
  readonly state: ExperimentState;
  /** trialId → checkpoint to restore from when the trial (re)starts. */
  readonly restoreFrom: Map<string, string>;
  readonly resumed: boolean;
}

/** `~` expanded, then absolute. */
export function expandPath(path: string): string {
  return resolve(path.startsWith('~') ? join(homedir(), path.slice(1)) : path);
}

/** CPUs a trial occupies: its learner plus its rollout and evaluation worker threads. */
export function cpusFor(config: AlgorithmConfigJSON): number {
  const workers = Number(config.numRolloutWorkers ?? 0);
  const evaluation = Number(config.evaluationNumWorkers ?? 0);
  return 1 + workers + evaluation;
}

function baseConfig(options: RunExperimentOptions): AlgorithmConfigJSON {
  if (options.config instanceof AlgorithmConfig) return options.config.toJSON();
  if (options.config !== undefined) return configFromJSON(options.config).toJSON();
  if (options.algorithm !== undefined) return lookupAlgorithm(options.algorithm).createConfig().toJSON();
  throw new TuneError('runExperiment needs a config (an AlgorithmConfig or its JSON) or an algorithm name, e.g. { algorithm: "PPO" }.');
}

function checkOptions(o: RunExperimentOptions): void {
  const nonNegativeInt = (name: string, v: unknown) => {
    if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) >= 0)) {
      throw new TuneError(`runExperiment({ ${name} }): expected an integer >= 0, got ${describeValue(v)}.`);
    }
  };
  nonNegativeInt('checkpointFreq', o.checkpointFreq);
  nonNegativeInt('maxFailures', o.maxFailures);
  if (
    o.keepCheckpointsNum !== undefined &&
    o.keepCheckpointsNum !== null &&
    !(Number.isInteger(o.keepCheckpointsNum) && o.keepCheckpointsNum >= 1)
  ) {
    throw new TuneError(
      `runExperiment({ keepCheckpointsNum }): expected an integer >= 1 or null, got ${describeValue(o.keepCheckpointsNum)}.`,
    );
  }
  if (o.maxConcurrentTrials !== undefined && !(Number.isInteger(o.maxConcurrentTrials) && o.maxConcurrentTrials >= 1)) {
    throw new TuneError(`runExperiment({ maxConcurrentTrials }): expected an integer >= 1, got ${describeValue(o.maxConcurrentTrials)}.`);
  }
  if (o.mode !== undefined && o.mode !== 'min' && o.mode !== 'max') {
    throw new TuneError(`runExperiment({ mode }): expected "min" or "max", got ${describeValue(o.mode)}.`);
  }
  if (o.numCpus !== undefined && !(Number.isInteger(o.numCpus) && o.numCpus >= 1)) {
    throw new TuneError(`runExperiment({ numCpus }): expected an integer >= 1, got ${describeValue(o.numCpus)}.`);
  }
}

function parseResume(resume: ResumeMode | undefined): { mode: 'off' | 'local' | 'auto'; errored: 'keep' | 'retry' | 'restart' } {
  if (resume === undefined || resume === false) return { mode: 'off', errored: 'keep' };
  if (resume === true) return { mode: 'local', errored: 'keep' };
  const [head, suffix] = String(resume).toUpperCase().split('+');
  const errored = (s: string | undefined) =>
    s === 'ERRORED' ? 'retry' : s === 'RESTART_ERRORED' ? 'restart' : s === undefined ? 'keep' : null;
  if (head === 'LOCAL' || head === 'AUTO') {
    const e = errored(suffix);
    if (e !== null) return { mode: head === 'AUTO' ? 'auto' : 'local', errored: e };
  }
  if (suffix === undefined && (head === 'ERRORED' || head === 'RESTART_ERRORED'))
    return { mode: 'local', errored: errored(head) ?? 'keep' };
  throw new TuneError(
    `resume: expected true, false, "LOCAL", "AUTO" (optionally +ERRORED or +RESTART_ERRORED), got ${describeValue(resume)}.`,
  );
}

function createTrials(options: RunExperimentOptions, base: AlgorithmConfigJSON): TrialRecord[] {
  const space = mergeSpace(base, parseSearchSpace(options.paramSpace ?? {}) as Record<string, unknown>);
  const variants = generateVariants(space, options.numSamples ?? 1, options.searchSeed ?? 0);
  const prefix = newExperimentPrefix();
  const now = new Date();
  return variants.map((variant, counter) => {
    let config: AlgorithmConfigJSON;
    try {
      // Every variant is checked before any trial runs: a bad value fails the experiment at once.
      const built = configFromJSON({ ...variant.config, algorithm: base.algorithm });
      built.validate();
      config = built.toJSON();
    } catch (error) {
      throw new TuneError(`Trial ${counter} (${variant.experimentTag}) has an invalid config: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const trialId = trialIdFor(prefix, counter);
    const trialName = trialNameFor(base.algorithm, config.env, trialId);
    return {
      trialId,
      trialName,
      dirName: trialDirNameFor(trialName, variant.experimentTag, now),
      status: 'PENDING',
      config,
      evaluatedParams: variant.evaluatedParams,
      experimentTag: variant.experimentTag,
      cpus: cpusFor(config),
      numFailures: 0,
      lastResult: null,
      checkpoints: [],
      error: null,
      stopReason: null,
      pid: null,
      startTime: null,
      endTime: null,
    };
  });
}

function experimentInfo(
  options: RunExperimentOptions,
  trainable: string,
  name: string,
  thresholds: Record<string, number> | null,
): ExperimentInfo {
  const now = Date.now();
  return {
    name,
    trainable,
    metric: options.metric ?? null,
    mode: options.mode ?? null,
    stop: thresholds,
    numSamples: options.numSamples ?? 1,
    searchSeed: options.searchSeed ?? 0,
    maxConcurrentTrials: options.maxConcurrentTrials ?? null,
    checkpointFreq: options.checkpointFreq ?? 0,
    checkpointAtEnd: options.checkpointAtEnd ?? false,
    keepCheckpointsNum: options.keepCheckpointsNum ?? null,
    checkpointScoreAttr: options.checkpointScoreAttr ?? null,
    startTime: now,
    timestamp: now,
  };
}

async function resumeTrials(path: string, state: ExperimentState, errored: 'keep' | 'retry' | 'restart'): Promise<Map<string, string>> {
  const restoreFrom = new Map<string, string>();
  for (const trial of state.trials) {
    if (trial.status === 'TERMINATED' || (trial.status === 'ERROR' && errored === 'keep')) continue;
    const restart = trial.status === 'ERROR' && errored === 'restart';
    const newest = restart
      ? undefined
      : trial.checkpoints.reduce<(typeof trial.checkpoints)[number] | undefined>(
          (a, b) => (a === undefined || b.iteration > a.iteration ? b : a),
          undefined,
        );
    await rewindTrial(path, trial, newest?.iteration ?? 0);
    if (newest !== undefined) restoreFrom.set(trial.trialId, join(path, newest.path));
    trial.status = 'PENDING';
    trial.error = null;
    trial.stopReason = null;
    trial.pid = null;
    trial.lastResult = newest?.metrics ?? null;
    if (restart) trial.numFailures = 0;
  }
  return restoreFrom;
}

/**
 * Resolves the experiment dir, then either continues its saved state (`resume`) or expands the
 * search space into new trials and writes their `params.json`.
 */
export async function prepareExperiment(
  options: RunExperimentOptions,
  thresholds: Record<string, number> | null,
): Promise<PreparedExperiment> {
  checkOptions(options);
  const base = baseConfig(options);
  const trainable = base.algorithm;
  const resume = parseResume(options.resume);
  const root = expandPath(options.storagePath ?? '~/loomrl_results');
  if (resume.mode !== 'off' && options.name === undefined) {
    throw new TuneError('resume needs the experiment name: runExperiment({ name, resume }) continues storagePath/name.');
  }
  const name = options.name ?? `${trainable}_${dateStamp()}`;
  const path = join(root, name);
  if (resume.mode !== 'off') {
    const saved = await readExperimentState(path);
    if (saved !== undefined) {
      const restoreFrom = await resumeTrials(path, saved, resume.errored);
      return { path, state: saved, restoreFrom, resumed: true };
    }
    if (resume.mode === 'local')
      throw new TuneError(`resume: no experiment state in "${path}" to resume (use resume: "AUTO" to start one).`);
  }
  const trials = createTrials(options, base);
  await mkdir(path, { recursive: true });
  for (const trial of trials) {
    const dir = join(path, trial.dirName);
    await mkdir(dir, { recursive: true });
    await new TrialFiles(dir).writeParams(trial.config);
  }
  const state: ExperimentState = {
    format: 'loomrl-experiment-state/1',
    experiment: experimentInfo(options, trainable, name, thresholds),
    scheduler: { name: options.scheduler?.name ?? 'FIFO', state: {} },
    trials,
  };
  return { path, state, restoreFrom: new Map(), resumed: false };
}
