import { createLogger } from '@loomrl/core';

/** RLlib config names whose LoomRL name is not the plain camelCase of the RLlib one. */
const ALIASES: Readonly<Record<string, string>> = {
  num_workers: 'numRolloutWorkers',
  lambda_: 'lambda',
  evaluation_num_episodes: 'evaluationDuration',
  num_learners: 'numLearnerWorkers',
};

/** RLlib settings LoomRL has no use for (the framework is TensorFlow.js; Ray resources do not apply). */
const IGNORED = new Set(['framework', 'eager_tracing', 'num_gpus', 'num_cpus_per_worker', 'num_gpus_per_worker', 'log_level_ray']);

/** Keys whose values are the user's own data (env configs), never renamed. */
const OPAQUE = new Set(['envConfig']);

/** Search-space markers, kept as spelled. */
const MARKERS = new Set(['grid_search', 'choice', 'uniform', 'loguniform', 'randint', 'eval']);

/** `num_sgd_iter` → `numSgdIter`. */
export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Converts an RLlib config dict (as tuned-example YAML files spell it: `num_workers`,
 * `sgd_minibatch_size`, `model: { fcnet_hiddens }`) to LoomRL's camelCase fields, recursively;
 * LoomRL names pass through, `env_config` contents are left alone, `framework` is dropped with a
 * warning. Search markers (`grid_search`, …) are kept.
 */
export function configFromRLlibNames(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (IGNORED.has(key)) {
      if (key === 'framework' && ['loomrl', 'wasm', 'cpu', 'tensorflow', 'auto'].includes(String(value))) {
        out.backend = value;
        continue;
      }
      createLogger('WARN', { component: 'cli' }).warn({ key, value }, `Ignoring RLlib setting "${key}" (not used by LoomRL).`);
      continue;
    }
    const name = ALIASES[key] ?? (MARKERS.has(key) ? key : snakeToCamel(key));
    out[name] = OPAQUE.has(name) || !isPlainObject(value) ? value : configFromRLlibNames(value);
  }
  return out;
}
