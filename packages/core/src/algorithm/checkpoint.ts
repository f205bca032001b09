import { resolve } from 'node:path';
import { CheckpointError, describeValue } from '../errors.js';
import { nonFiniteIndex } from '../finite.js';
import type { EpisodeStats } from '../metrics.js';
import type { ModuleSpec } from '../modules/spec.js';
import type { RngState } from '../rng.js';
import type { SpaceJSON } from '../spaces/index.js';
// Type-only (erased at run time): the main entry never loads tfjs.
import type { OptimizerState } from '../tf/optimizer.js';
import { readCheckpointDir, writeCheckpointDir } from './checkpointFiles.js';
import type { WorkerCheckpointState } from './envRunnerGroup.js';

/** A typed array a learner keeps in a checkpoint (weights, replay columns, tree nodes…). */
export type StateArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * A learner's named state: weight sets (`policy`, `target`, a bandit's per-arm matrices…),
 * optimizer states, random streams, small plain-data extras and large typed arrays (e.g. the
 * replay buffer with `storeBufferInCheckpoints`). Checkpoints store each part by name with its dtype.
 */
export interface LearnerState {
  readonly weights: Readonly<Record<string, Float32Array | Float64Array>>;
  readonly optimizers: Readonly<Record<string, OptimizerState>>;
  readonly rngs: Readonly<Record<string, RngState>>;
  /** Plain-data learner state, e.g. PPO's current KL coefficient. */
  readonly extra: Readonly<Record<string, unknown>>;
  readonly arrays: Readonly<Record<string, StateArray>>;
}

/** The lifetime counters an algorithm keeps across iterations (and checkpoints). */
export interface Counters {
  trainingIteration: number;
  numEnvStepsSampled: number;
  numEnvStepsTrained: number;
  episodesTotal: number;
  timeTotalS: number;
  weightsVersion: number;
}

/** The single-env spaces an algorithm trains on, as JSON. */
export interface SpacesJSON {
  readonly observationSpace: SpaceJSON;
  readonly actionSpace: SpaceJSON;
}

/** Everything `Algorithm.save` writes and `restore` reads back. */
export interface AlgorithmSnapshot {
  readonly algorithm: string;
  readonly config: Record<string, unknown>;
  readonly counters: Counters;
  readonly metricsWindow: EpisodeStats[];
  readonly spaces: SpacesJSON | null;
  /** The module specs the workers act with; `null` in format-1 checkpoints. */
  readonly moduleSpecs: Readonly<Record<string, ModuleSpec>> | null;
  readonly learner: LearnerState;
  /** The workers' episode states (to continue episodes bit for bit), or `null` when not captured. */
  readonly workers: readonly WorkerCheckpointState[] | null;
  /** The env and worker layout those states belong to; a restore elsewhere starts fresh episodes. */
  readonly workerLayout: WorkerLayout | null;
}

/** What worker states are tied to: the env (id and config) and how its copies are split across workers. */
export interface WorkerLayout {
  readonly env: string | null;
  readonly envConfig: Readonly<Record<string, unknown>>;
  readonly numRolloutWorkers: number;
  readonly numEnvsPerWorker: number;
}

const COUNTER_NAMES: readonly (keyof Counters)[] = [
  'trainingIteration',
  'numEnvStepsSampled',
  'numEnvStepsTrained',
  'episodesTotal',
  'timeTotalS',
  'weightsVersion',
];

const DTYPES = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array } as const;
type DtypeName = keyof typeof DTYPES;

function dtypeName(array: StateArray): DtypeName {
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Uint8Array) return 'uint8';
  return 'float32';
}

function bytesOf(array: StateArray): Uint8Array {
  return new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength));
}

function arrayOf(bytes: Uint8Array, dtype: DtypeName): StateArray {
  const type = DTYPES[dtype];
  const copy = bytes.slice();
  return new type(copy.buffer, 0, copy.byteLength / type.BYTES_PER_ELEMENT);
}

const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

function checkName(kind: string, name: string): void {
  if (!SAFE_NAME.test(name))
    throw new CheckpointError(`A learner's ${kind} name must be letters, digits, "_", "." or "-", got ${JSON.stringify(name)}.`);
}

interface OptimizerIndexEntry {
  readonly name: string;
  readonly shape: number[];
  readonly offset: number;
  readonly length: number;
}

/** Writes `snapshot` to `dir` atomically (see `writeCheckpointDir`) and returns the absolute path. */
export function writeSnapshot(dir: string, snapshot: AlgorithmSnapshot): Promise<string> {
  const { learner } = snapshot;
  const files: Record<string, Uint8Array> = {};
  const weightSets: Record<string, { dtype: DtypeName; length: number }> = {};
  for (const [name, weights] of Object.entries(learner.weights)) {
    checkName('weight set', name);
    files[`weights.${name}.bin`] = bytesOf(weights);
    weightSets[name] = { dtype: dtypeName(weights), length: weights.length };
  }
  const optimizers: Record<string, OptimizerIndexEntry[]> = {};
  for (const [name, state] of Object.entries(learner.optimizers)) {
    checkName('optimizer', name);
    const values = new Float32Array(state.tensors.reduce((n, t) => n + t.values.length, 0));
    let offset = 0;
    optimizers[name] = state.tensors.map((t) => {
      values.set(t.values, offset);
      const entry = { name: t.name, shape: [...t.shape], offset, length: t.values.length };
      offset += t.values.length;
      return entry;
    });
    files[`optimizer.${name}.bin`] = bytesOf(values);
  }
  const arrays: Record<string, { dtype: DtypeName; length: number }> = {};
  for (const [name, array] of Object.entries(learner.arrays)) {
    checkName('array', name);
    files[`array.${name}.bin`] = bytesOf(array);
    arrays[name] = { dtype: dtypeName(array), length: array.length };
  }
  const metadata = {
    algorithm: snapshot.algorithm,
    config: snapshot.config,
    counters: { ...snapshot.counters },
    metricsWindow: snapshot.metricsWindow,
    spaces: snapshot.spaces,
    moduleSpecs: snapshot.moduleSpecs,
    weightSets,
    optimizers,
    arrays,
    rngs: learner.rngs,
    learnerExtra: learner.extra,
    workers: snapshot.workers,
    workerLayout: snapshot.workerLayout,
  };
  return writeCheckpointDir(dir, metadata, files);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Bad = (field: string, value: unknown, expected: string) => never;

function parseCounters(raw: unknown, bad: Bad): Counters {
  if (!isPlainObject(raw)) return bad('counters', raw, 'an object of counters');
  const counters = {} as Counters;
  for (const name of COUNTER_NAMES) {
    const value = raw[name];
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= 0 && (name === 'timeTotalS' || Number.isInteger(value));
    if (!ok) bad(`counters.${name}`, value, name === 'timeTotalS' ? 'a finite number >= 0' : 'an integer >= 0');
    counters[name] = value as number;
  }
  return counters;
}

function parseMetricsWindow(raw: unknown, bad: Bad): EpisodeStats[] {
  const window = raw ?? [];
  if (!Array.isArray(window)) return bad('metricsWindow', window, 'an array of episodes');
  window.forEach((episode, i) => {
    const ok =
      isPlainObject(episode) &&
      typeof episode.episodeReturn === 'number' &&
      Number.isFinite(episode.episodeReturn) &&
      Number.isInteger(episode.episodeLength);
    if (!ok) bad(`metricsWindow[${i}]`, episode, '{ episodeReturn: number, episodeLength: integer }');
  });
  return window as EpisodeStats[];
}

function parseOptimizer(label: string, index: unknown, values: Float32Array, bad: Bad): OptimizerState {
  if (!Array.isArray(index)) return bad(label, index, 'an array of { name, shape, offset, length }');
  const tensors = index.map((entry: unknown, i) => {
    const field = `${label}[${i}]`;
    if (!isPlainObject(entry) || typeof entry.name !== 'string') return bad(field, entry, '{ name, shape, offset, length }');
    const { shape, offset, length } = entry;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      bad(`${field}.shape`, shape, 'an array of integers >= 0');
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (length !== size) bad(`${field}.length`, length, `${size} (the product of its shape)`);
    if (!Number.isInteger(offset) || (offset as number) < 0 || (offset as number) + size > values.length) {
      bad(`${field}.offset`, offset, `an integer in [0, ${values.length - size}] (the optimizer file holds ${values.length} numbers)`);
    }
    const slice = values.slice(offset as number, (offset as number) + size);
    const nonFinite = nonFiniteIndex(slice);
    if (nonFinite >= 0) bad(`optimizer tensor "${entry.name}"[${nonFinite}]`, slice[nonFinite], 'a finite number');
    return { name: entry.name, shape: shape as number[], values: slice };
  });
  return { tensors };
}

function parseArrays(
  kind: string,
  prefix: string,
  raw: unknown,
  files: Readonly<Record<string, Uint8Array>>,
  bad: Bad,
  target: string,
): Record<string, StateArray> {
  const index = raw ?? {};
  if (!isPlainObject(index)) return bad(kind, index, 'an object');
  const out: Record<string, StateArray> = {};
  for (const [name, entry] of Object.entries(index)) {
    if (!isPlainObject(entry) || !(typeof entry.dtype === 'string' && entry.dtype in DTYPES)) {
      bad(`${kind}.${name}`, entry, `{ dtype: ${Object.keys(DTYPES).join(' | ')}, length }`);
    }
    const e = entry as { dtype: DtypeName; length: unknown };
    const bytes = files[`${prefix}.${name}.bin`];
    if (bytes === undefined) throw new CheckpointError(`Checkpoint "${target}" is incomplete: ${kind} "${name}" has no data file.`);
    const array = arrayOf(bytes, e.dtype);
    if (array.length !== e.length) bad(`${kind}.${name}.length`, e.length, `${array.length} (the length of its file)`);
    out[name] = array;
  }
  return out;
}

/** Checks every field `restore` relies on; a tampered or foreign value is a `CheckpointError` naming the field and the value. */
function parseSnapshot(target: string, metadata: Record<string, unknown>, files: Readonly<Record<string, Uint8Array>>): AlgorithmSnapshot {
  const bad: Bad = (field, value, expected) => {
    throw new CheckpointError(`Checkpoint "${target}": ${field} is ${describeValue(value)}, expected ${expected}.`);
  };
  if (typeof metadata.algorithm !== 'string') bad('algorithm', metadata.algorithm, 'an algorithm name');
  if (!isPlainObject(metadata.config)) bad('config', metadata.config, 'a config object');
  const extra = metadata.learnerExtra ?? {};
  if (!isPlainObject(extra)) return bad('learnerExtra', extra, 'an object');
  const v1 = metadata.formatVersion === 1;
  let learner: LearnerState;
  if (v1) {
    // Format 1: PPO's single weights file and optimizer, named `policy` now.
    const weights = arrayOf(files['weights.bin'] ?? new Uint8Array(), 'float32') as Float32Array;
    const index = metadata.optimizerIndex;
    const optimizerValues = arrayOf(files['optimizer.bin'] ?? new Uint8Array(), 'float32') as Float32Array;
    const optimizers: Record<string, OptimizerState> =
      index === null || index === undefined ? {} : { policy: parseOptimizer('optimizerIndex', index, optimizerValues, bad) };
    learner = { weights: { policy: weights }, optimizers, rngs: {}, extra, arrays: {} };
  } else {
    const weights = parseArrays('weightSets', 'weights', metadata.weightSets, files, bad, target) as Record<
      string,
      Float32Array | Float64Array
    >;
    const rawOptimizers = metadata.optimizers ?? {};
    if (!isPlainObject(rawOptimizers)) return bad('optimizers', rawOptimizers, 'an object');
    const optimizers: Record<string, OptimizerState> = {};
    for (const [name, index] of Object.entries(rawOptimizers)) {
      const values = files[`optimizer.${name}.bin`];
      if (values === undefined) throw new CheckpointError(`Checkpoint "${target}" is incomplete: optimizer "${name}" has no data file.`);
      optimizers[name] = parseOptimizer(`optimizers.${name}`, index, arrayOf(values, 'float32') as Float32Array, bad);
    }
    const rngs = metadata.rngs ?? {};
    if (!isPlainObject(rngs)) return bad('rngs', rngs, 'an object of random-stream states');
    learner = {
      weights,
      optimizers,
      rngs: rngs as Record<string, RngState>,
      extra,
      arrays: parseArrays('arrays', 'array', metadata.arrays, files, bad, target),
    };
  }
  for (const [name, weights] of Object.entries(learner.weights)) {
    const nonFinite = nonFiniteIndex(weights);
    if (nonFinite >= 0) {
      throw new CheckpointError(
        `Checkpoint "${target}": weight ${nonFinite} of weight set "${name}" is ${weights[nonFinite]}; a checkpoint must hold finite weights.`,
      );
    }
  }
  const workers = metadata.workers ?? null;
  if (workers !== null && !Array.isArray(workers)) bad('workers', workers, 'null or an array of worker states');
  const specs = metadata.moduleSpecs ?? null;
  if (specs !== null && !isPlainObject(specs)) bad('moduleSpecs', specs, 'null or an object of module specs');
  return {
    algorithm: metadata.algorithm as string,
    config: metadata.config as Record<string, unknown>,
    counters: parseCounters(metadata.counters, bad),
    metricsWindow: parseMetricsWindow(metadata.metricsWindow, bad),
    spaces: (metadata.spaces ?? null) as SpacesJSON | null,
    moduleSpecs: specs as Record<string, ModuleSpec> | null,
    learner,
    workers: workers as WorkerCheckpointState[] | null,
    workerLayout: (metadata.workerLayout ?? null) as WorkerLayout | null,
  };
}

/** Reads and checks a checkpoint written by `writeSnapshot` (format 2) or by format 1. */
export async function readSnapshot(dir: string): Promise<AlgorithmSnapshot & { readonly path: string }> {
  const path = resolve(dir);
  const { metadata, files } = await readCheckpointDir(path);
  return { ...parseSnapshot(path, metadata, files), path };
}

/** Names the keys where two plain-data records differ. */
function differingKeys(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** What `assertRestorable` compares a checkpoint against. */
export interface RestoreTarget {
  readonly algorithm: string;
  readonly spaces: SpacesJSON | null;
  readonly moduleSpecs: Readonly<Record<string, ModuleSpec>>;
  /** The learner's current weight sets (names and lengths must match). */
  readonly weights: Readonly<Record<string, Float32Array | Float64Array>>;
}

/**
 * Throws a `CheckpointError` saying what differs when a checkpoint cannot be restored into an
 * algorithm: another algorithm, other env spaces, other module settings, a missing or resized weight set.
 */
export function assertRestorable(snapshot: AlgorithmSnapshot & { readonly path: string }, current: RestoreTarget): void {
  const where = `Checkpoint "${snapshot.path}"`;
  if (snapshot.algorithm !== current.algorithm) {
    throw new CheckpointError(`${where} holds a ${snapshot.algorithm} algorithm; this one is ${current.algorithm}.`);
  }
  if (snapshot.spaces !== null && current.spaces !== null) {
    for (const key of ['observationSpace', 'actionSpace'] as const) {
      const saved = JSON.stringify(snapshot.spaces[key]);
      const here = JSON.stringify(current.spaces[key]);
      if (saved !== here) throw new CheckpointError(`${where} was trained on the ${key} ${saved}; this algorithm's env has ${here}.`);
    }
  }
  if (snapshot.moduleSpecs !== null) {
    for (const [id, spec] of Object.entries(current.moduleSpecs)) {
      const saved = snapshot.moduleSpecs[id];
      if (saved === undefined) throw new CheckpointError(`${where} has no module "${id}".`);
      const differing = [
        ...(saved.kind !== spec.kind ? ['kind'] : []),
        ...differingKeys(saved.config, spec.config).map((k) => `config.${k}`),
      ];
      if (differing.length > 0) {
        const value = (s: ModuleSpec, key: string) => JSON.stringify(key === 'kind' ? s.kind : s.config[key.slice('config.'.length)]);
        const details = differing.map((k) => `${k}: ${value(saved, k)} there, ${value(spec, k)} here`);
        throw new CheckpointError(`${where} holds module "${id}" with other settings (${details.join('; ')}).`);
      }
    }
  }
  for (const [name, weights] of Object.entries(current.weights)) {
    const saved = snapshot.learner.weights[name];
    if (saved === undefined) {
      throw new CheckpointError(
        `${where} has no weight set "${name}" (it has ${Object.keys(snapshot.learner.weights).join(', ') || 'none'}).`,
      );
    }
    if (saved.length !== weights.length || saved.constructor !== weights.constructor) {
      throw new CheckpointError(
        `${where} has ${saved.length} ${dtypeName(saved)} weights in "${name}"; this model has ${weights.length} ${dtypeName(weights)} (different model settings or env?).`,
      );
    }
  }
}

/** Plain data where every typed array was replaced by `{ $array: name }`, its values moved to `arrays`. */
export interface SplitState {
  readonly json: unknown;
  readonly arrays: Record<string, StateArray>;
}

function isStateArray(value: unknown): value is StateArray {
  return value instanceof Float32Array || value instanceof Float64Array || value instanceof Int32Array || value instanceof Uint8Array;
}

/**
 * Splits a learner's plain-data state holding typed arrays (e.g. a replay buffer's `getState()`)
 * into JSON for `extra` and named arrays (`<prefix>.<path>`) for `arrays`, so checkpoints store the
 * numbers as binary files with their dtypes. `joinStateArrays` puts them back.
 */
export function splitStateArrays(prefix: string, state: unknown): SplitState {
  const arrays: Record<string, StateArray> = {};
  const walk = (value: unknown, path: string): unknown => {
    if (isStateArray(value)) {
      arrays[path] = value;
      return { $array: path };
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${path}.${i}`));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, `${path}.${key}`)]));
    }
    return value;
  };
  return { json: walk(state, prefix), arrays };
}

/** The inverse of `splitStateArrays`: a missing array is a `CheckpointError` naming it. */
export function joinStateArrays(json: unknown, arrays: Readonly<Record<string, StateArray>>): unknown {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === 'object' && value !== null) {
      const ref = (value as { $array?: unknown }).$array;
      if (typeof ref === 'string' && Object.keys(value).length === 1) {
        const array = arrays[ref];
        if (array === undefined)
          throw new CheckpointError(`A checkpoint's learner state refers to array "${ref}", which it does not hold.`);
        return array;
      }
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
    }
    return value;
  };
  return walk(json);
}
