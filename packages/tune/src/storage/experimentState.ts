import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlgorithmConfigJSON } from '@loomrl/core';
import { TuneError } from '../errors.js';
import type { FlatResult } from '../experiment/flatten.js';
import { readJsonIfExists, stringifyFinite, writeAtomic } from './jsonFiles.js';

/** Tune's trial statuses (LoomRL has no PAUSED: PBT is not implemented). */
export type TrialStatus = 'PENDING' | 'RUNNING' | 'TERMINATED' | 'ERROR';

/** One kept checkpoint of a trial and the metrics of the result it was taken at. */
export interface CheckpointRecord {
  readonly iteration: number;
  /** Relative to the experiment dir, e.g. `PPO_CartPole-v1_…/checkpoint_000010`. */
  readonly path: string;
  /** The numeric, flattened result it was taken at. */
  readonly metrics: FlatResult;
}

/** Everything the runner knows about one trial; written to the experiment state file. */
export interface TrialRecord {
  readonly trialId: string;
  readonly trialName: string;
  readonly dirName: string;
  status: TrialStatus;
  readonly config: AlgorithmConfigJSON;
  readonly evaluatedParams: Record<string, unknown>;
  readonly experimentTag: string;
  /** CPUs the trial occupies: its learner plus its rollout and evaluation worker threads. */
  readonly cpus: number;
  numFailures: number;
  /** The last result, flattened, numbers (and booleans) only. */
  lastResult: FlatResult | null;
  checkpoints: CheckpointRecord[];
  /** The last error message, when the trial failed. */
  error: string | null;
  /** Why it stopped: a stop criterion, `scheduler`, `time budget`, `error`. */
  stopReason: string | null;
  pid: number | null;
  /** Epoch ms of the (latest) start and of the end. */
  startTime: number | null;
  endTime: number | null;
}

/** The experiment-wide settings kept in the state file. */
export interface ExperimentInfo {
  readonly name: string;
  readonly trainable: string;
  readonly metric: string | null;
  readonly mode: 'min' | 'max' | null;
  readonly stop: Readonly<Record<string, number>> | null;
  readonly numSamples: number;
  readonly searchSeed: number;
  readonly maxConcurrentTrials: number | null;
  readonly checkpointFreq: number;
  readonly checkpointAtEnd: boolean;
  readonly keepCheckpointsNum: number | null;
  readonly checkpointScoreAttr: string | null;
  readonly startTime: number;
  timestamp: number;
}

/** The `experiment_state-<date>.json` file: a versioned schema of LoomRL's own. */
export interface ExperimentState {
  readonly format: 'loomrl-experiment-state/1';
  readonly experiment: ExperimentInfo;
  readonly scheduler: { readonly name: string; readonly state: Record<string, unknown> };
  readonly trials: TrialRecord[];
}

const STATE_PATTERN = /^experiment_state-.*\.json$/;

/** The newest `experiment_state-*.json` in `dir` (by name: the names carry the date), or `undefined`. */
export async function findStateFile(dir: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  const states = names.filter((n) => STATE_PATTERN.test(n)).sort();
  const newest = states.at(-1);
  return newest === undefined ? undefined : join(dir, newest);
}

/** Reads the newest experiment state in `dir`; `undefined` when there is none. */
export async function readExperimentState(dir: string): Promise<ExperimentState | undefined> {
  const file = await findStateFile(dir);
  if (file === undefined) return undefined;
  const state = (await readJsonIfExists(file)) as ExperimentState | undefined;
  if (state === undefined) return undefined;
  if (state.format !== 'loomrl-experiment-state/1') {
    throw new TuneError(
      `${file} is not a LoomRL experiment state (format ${JSON.stringify(state.format)}, expected "loomrl-experiment-state/1").`,
    );
  }
  return state;
}

/** Writes state files one at a time (latest snapshot wins), each through a temp file and a rename. */
export class StateWriter {
  readonly path: string;
  private chain: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  /** Queues a write of `state` as it is now. */
  write(state: ExperimentState): Promise<void> {
    const text = `${stringifyFinite(state, 2)}\n`;
    this.chain = this.chain.then(() => writeAtomic(this.path, text));
    return this.chain;
  }
}
