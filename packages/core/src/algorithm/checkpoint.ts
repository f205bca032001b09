import { resolve } from 'node:path';
import { CheckpointError, describeValue } from '../errors.js';
import { nonFiniteIndex } from '../finite.js';
import type { EpisodeStats } from '../metrics.js';
import type { SpaceJSON } from '../spaces/index.js';
// Type-only (erased at run time): the main entry never loads tfjs.
import type { OptimizerState } from '../tf/optimizer.js';
import { bytesToFloat32, float32ToBytes, readCheckpointDir, writeCheckpointDir } from './checkpointFiles.js';

/** The learner's part of a checkpoint: flat weights, optimizer tensors, algorithm-specific scalars and the policy's description. */
export interface LearnerCheckpoint {
  readonly weights: Float32Array;
  /** The optimizer's tensors (names, shapes, values); `null` for a learner without optimizer state. */
  readonly optimizer: OptimizerState | null;
  /** Plain-data learner state, e.g. PPO's current KL coefficient. */
  readonly extra: Record<string, unknown>;
  /** Plain data describing the policy's networks (layer sizes, activation, …); a restore must match it. */
  readonly spec: Record<string, unknown>;
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
  readonly learner: LearnerCheckpoint;
}

interface OptimizerIndexEntry {
  readonly name: string;
  readonly shape: number[];
  readonly offset: number;
  readonly length: number;
}

const COUNTER_NAMES: readonly (keyof Counters)[] = [
  'trainingIteration',
  'numEnvStepsSampled',
  'numEnvStepsTrained',
  'episodesTotal',
  'timeTotalS',
  'weightsVersion',
];

/** Writes `snapshot` to `dir` atomically (see `writeCheckpointDir`) and returns the absolute path. */
export function writeSnapshot(dir: string, snapshot: AlgorithmSnapshot): Promise<string> {
  const { learner } = snapshot;
  const tensors = learner.optimizer?.tensors ?? [];
  const optimizerValues = new Float32Array(tensors.reduce((n, t) => n + t.values.length, 0));
  let offset = 0;
  const optimizerIndex: OptimizerIndexEntry[] = tensors.map((t) => {
    optimizerValues.set(t.values, offset);
    const entry = { name: t.name, shape: [...t.shape], offset, length: t.values.length };
    offset += t.values.length;
    return entry;
  });
  const metadata = {
    algorithm: snapshot.algorithm,
    config: snapshot.config,
    counters: { ...snapshot.counters },
    metricsWindow: snapshot.metricsWindow,
    spaces: snapshot.spaces,
    policySpec: learner.spec,
    learnerExtra: learner.extra,
    optimizerIndex: learner.optimizer === null ? null : optimizerIndex,
    weightsLength: learner.weights.length,
  };
  return writeCheckpointDir(dir, metadata, {
    'weights.bin': float32ToBytes(learner.weights),
    'optimizer.bin': float32ToBytes(optimizerValues),
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks every field `restore` relies on; a tampered or foreign value is a `CheckpointError` naming the field and the value. */
function parseSnapshot(target: string, metadata: Record<string, unknown>, files: Readonly<Record<string, Uint8Array>>): AlgorithmSnapshot {
  const bad = (field: string, value: unknown, expected: string): never => {
    throw new CheckpointError(`Checkpoint "${target}": ${field} is ${describeValue(value)}, expected ${expected}.`);
  };
  if (typeof metadata.algorithm !== 'string') bad('algorithm', metadata.algorithm, 'an algorithm name');
  if (!isPlainObject(metadata.config)) bad('config', metadata.config, 'a config object');
  const rawCounters = metadata.counters;
  if (!isPlainObject(rawCounters)) return bad('counters', rawCounters, 'an object of counters');
  const counters = {} as Counters;
  for (const name of COUNTER_NAMES) {
    const value = rawCounters[name];
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= 0 && (name === 'timeTotalS' || Number.isInteger(value));
    if (!ok) bad(`counters.${name}`, value, name === 'timeTotalS' ? 'a finite number >= 0' : 'an integer >= 0');
    counters[name] = value as number;
  }
  const window = metadata.metricsWindow ?? [];
  if (!Array.isArray(window)) return bad('metricsWindow', window, 'an array of episodes');
  window.forEach((episode, i) => {
    const ok =
      isPlainObject(episode) &&
      typeof episode.episodeReturn === 'number' &&
      Number.isFinite(episode.episodeReturn) &&
      Number.isInteger(episode.episodeLength);
    if (!ok) bad(`metricsWindow[${i}]`, episode, '{ episodeReturn: number, episodeLength: integer }');
  });
  const extra = metadata.learnerExtra ?? {};
  if (!isPlainObject(extra)) return bad('learnerExtra', extra, 'an object');
  const spec = metadata.policySpec ?? {};
  if (!isPlainObject(spec)) return bad('policySpec', spec, 'an object');
  const weights = bytesToFloat32(files['weights.bin'] ?? new Uint8Array());
  if (metadata.weightsLength !== undefined && metadata.weightsLength !== weights.length) {
    bad('weightsLength', metadata.weightsLength, `${weights.length} (the length of weights.bin)`);
  }
  const nonFinite = nonFiniteIndex(weights);
  if (nonFinite >= 0) {
    throw new CheckpointError(
      `Checkpoint "${target}": weight ${nonFinite} is ${weights[nonFinite]}; a checkpoint must hold finite weights.`,
    );
  }
  return {
    algorithm: metadata.algorithm as string,
    config: metadata.config as Record<string, unknown>,
    counters,
    metricsWindow: window as EpisodeStats[],
    spaces: (metadata.spaces ?? null) as SpacesJSON | null,
    learner: { weights, optimizer: parseOptimizer(metadata.optimizerIndex, files, bad), extra, spec },
  };
}

function parseOptimizer(
  index: unknown,
  files: Readonly<Record<string, Uint8Array>>,
  bad: (field: string, value: unknown, expected: string) => never,
): OptimizerState | null {
  if (index === null || index === undefined) return null;
  if (!Array.isArray(index)) return bad('optimizerIndex', index, 'an array of { name, shape, offset, length }');
  const values = bytesToFloat32(files['optimizer.bin'] ?? new Uint8Array());
  const tensors = index.map((entry: unknown, i) => {
    const field = `optimizerIndex[${i}]`;
    if (!isPlainObject(entry) || typeof entry.name !== 'string') return bad(field, entry, '{ name, shape, offset, length }');
    const { shape, offset, length } = entry;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      bad(`${field}.shape`, shape, 'an array of integers >= 0');
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (length !== size) bad(`${field}.length`, length, `${size} (the product of its shape)`);
    if (!Number.isInteger(offset) || (offset as number) < 0 || (offset as number) + size > values.length) {
      bad(`${field}.offset`, offset, `an integer in [0, ${values.length - size}] (optimizer.bin holds ${values.length} numbers)`);
    }
    const slice = values.slice(offset as number, (offset as number) + size);
    const nonFinite = nonFiniteIndex(slice);
    if (nonFinite >= 0) bad(`optimizer tensor "${entry.name}"[${nonFinite}]`, slice[nonFinite], 'a finite number');
    return { name: entry.name, shape: shape as number[], values: slice };
  });
  return { tensors };
}

/** Reads and checks a checkpoint written by `writeSnapshot`. */
export async function readSnapshot(dir: string): Promise<AlgorithmSnapshot & { readonly path: string }> {
  const path = resolve(dir);
  const { metadata, files } = await readCheckpointDir(path);
  return { ...parseSnapshot(path, metadata, files), path };
}

/** Names the top-level keys where two plain-data values differ. */
function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/**
 * Throws a `CheckpointError` saying what differs when a checkpoint cannot be restored into an
 * algorithm: another algorithm, other env spaces, another policy description, another weight count.
 */
export function assertRestorable(
  snapshot: AlgorithmSnapshot & { readonly path: string },
  current: {
    readonly algorithm: string;
    readonly spaces: SpacesJSON | null;
    readonly spec: Record<string, unknown>;
    readonly weightsLength: number;
  },
): void {
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
  if (Object.keys(snapshot.learner.spec).length > 0) {
    const differing = differingKeys(snapshot.learner.spec, current.spec);
    if (differing.length > 0) {
      const details = differing.map(
        (k) => `${k}: ${JSON.stringify(snapshot.learner.spec[k])} there, ${JSON.stringify(current.spec[k])} here`,
      );
      throw new CheckpointError(`${where} holds a policy with other settings (${details.join('; ')}).`);
    }
  }
  if (snapshot.learner.weights.length !== current.weightsLength) {
    throw new CheckpointError(
      `${where} has ${snapshot.learner.weights.length} weights; this model has ${current.weightsLength} (different model settings or env?).`,
    );
  }
}
