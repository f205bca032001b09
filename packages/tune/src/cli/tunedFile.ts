import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeValue, didYouMean } from '@loomrl/core/internal';
import { parse as parseYaml } from 'yaml';
import { TuneError } from '../errors.js';
import { resultKeyFromRLlib } from '../experiment/flatten.js';
import type { RunExperimentOptions } from '../experiment/options.js';
import { configFromRLlibNames } from './rllibNames.js';

/** One experiment of a tuned-example file: the options for `runExperiment`. */
export interface TunedExperiment {
  readonly name: string;
  readonly options: RunExperimentOptions;
}

/** The folder of shipped tuned examples: `tuned/<algo>/<name>.yaml` in this package. */
export function tunedExamplesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', 'tuned');
}

/** Every shipped tuned example as `[name, path]`, e.g. `['cartpole-ppo', '…/tuned/ppo/cartpole-ppo.yaml']`. */
export function listTunedExamples(): Array<[string, string]> {
  const root = tunedExamplesDir();
  const found: Array<[string, string]> = [];
  for (const algo of existsSync(root) ? readdirSync(root).sort() : []) {
    for (const file of readdirSync(join(root, algo)).sort()) {
      if (/\.ya?ml$/.test(file)) found.push([basename(file, extname(file)), join(root, algo, file)]);
    }
  }
  return found;
}

/** A path as given, or the shipped tuned example of that name (`cartpole-ppo`). */
export function resolveTunedFile(pathOrName: string): string {
  if (existsSync(pathOrName)) return pathOrName;
  const shipped = listTunedExamples().find(([name]) => name === pathOrName);
  if (shipped !== undefined) return shipped[1];
  const names = listTunedExamples().map(([n]) => n);
  throw new TuneError(
    `No such file "${pathOrName}", and no shipped tuned example of that name.${didYouMean(pathOrName, names)} Shipped: ${names.join(', ')}.`,
  );
}

const EXPERIMENT_KEYS = [
  'run',
  'env',
  'stop',
  'config',
  'num_samples',
  'checkpoint_freq',
  'checkpoint_at_end',
  'keep_checkpoints_num',
  'checkpoint_score_attr',
  'checkpoint_config',
  'local_dir',
  'storage_path',
  'max_failures',
  'metric',
  'mode',
  'max_concurrent_trials',
];

function experimentFrom(name: string, spec: unknown, file: string): TunedExperiment {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new TuneError(`${file}: experiment "${name}" must be a mapping with run, env, stop and config; got ${describeValue(spec)}.`);
  }
  const s = spec as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!EXPERIMENT_KEYS.includes(key)) {
      throw new TuneError(
        `${file}: experiment "${name}" has an unknown key "${key}".${didYouMean(key, EXPERIMENT_KEYS)} Valid keys: ${EXPERIMENT_KEYS.join(', ')}.`,
      );
    }
  }
  if (typeof s.run !== 'string')
    throw new TuneError(`${file}: experiment "${name}" needs "run: <algorithm>" (e.g. PPO), got ${describeValue(s.run)}.`);
  const config = configFromRLlibNames((s.config ?? {}) as Record<string, unknown>);
  if (s.env !== undefined) config.env = s.env;
  if (config.env === undefined) throw new TuneError(`${file}: experiment "${name}" names no env (set "env:" or "config.env").`);
  const stop: Record<string, number> = {};
  for (const [key, value] of Object.entries((s.stop ?? {}) as Record<string, number>)) stop[resultKeyFromRLlib(key)] = value;
  const ckpt = (s.checkpoint_config ?? {}) as Record<string, unknown>;
  const scoreAttr = (s.checkpoint_score_attr ?? ckpt.checkpoint_score_attribute) as string | undefined;
  const scoreOrder = ckpt.checkpoint_score_order === 'min' && scoreAttr !== undefined ? `min-${scoreAttr}` : scoreAttr;
  const options: Record<string, unknown> = {
    algorithm: s.run,
    paramSpace: config,
    stop,
    name,
    numSamples: s.num_samples,
    checkpointFreq: s.checkpoint_freq ?? ckpt.checkpoint_frequency,
    checkpointAtEnd: s.checkpoint_at_end ?? ckpt.checkpoint_at_end,
    keepCheckpointsNum: s.keep_checkpoints_num ?? ckpt.num_to_keep,
    checkpointScoreAttr: scoreOrder,
    storagePath: s.storage_path ?? s.local_dir,
    maxFailures: s.max_failures,
    metric: s.metric,
    mode: s.mode,
    maxConcurrentTrials: s.max_concurrent_trials,
  };
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
  return { name, options: options as RunExperimentOptions };
}

/**
 * Reads a tuned-example file in RLlib's schema (YAML with a safe loader, or JSON): each top-level
 * key is an experiment `{ run, env, stop, config, num_samples, checkpoint_freq, … }`; config keys
 * in RLlib's snake_case or LoomRL's camelCase; search forms (`grid_search: [...]`) allowed.
 */
export async function loadTunedFile(path: string): Promise<TunedExperiment[]> {
  const text = await readFile(path, 'utf8');
  let doc: unknown;
  try {
    doc = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new TuneError(`${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || Object.keys(doc).length === 0) {
    throw new TuneError(`${path}: expected a mapping of experiment names to experiments, got ${describeValue(doc)}.`);
  }
  return Object.entries(doc as Record<string, unknown>).map(([name, spec]) => experimentFrom(name, spec, path));
}
