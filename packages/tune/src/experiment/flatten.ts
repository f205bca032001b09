/** A result flattened with `/` between nested keys (Tune's `flat_result`); empty sub-objects vanish. */
export type FlatResult = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** Flattens nested plain objects, joining keys with `/`; arrays and other values stay as leaves. */
export function flattenResult(result: Readonly<Record<string, unknown>>, prefix = ''): FlatResult {
  const out: FlatResult = {};
  for (const [key, value] of Object.entries(result)) {
    const path = prefix === '' ? key : `${prefix}/${key}`;
    if (isPlainObject(value)) Object.assign(out, flattenResult(value, path));
    else out[path] = value;
  }
  return out;
}

/** The value at a `/`-separated path of a nested result, or `undefined`. */
export function valueAt(result: Readonly<Record<string, unknown>>, path: string): unknown {
  if (path in result) return result[path];
  let node: unknown = result;
  for (const key of path.split('/')) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

const snakeToCamel = (segment: string): string => segment.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Maps an RLlib result key (`episode_reward_mean`, `sampler_results/episode_reward_mean`,
 * `evaluation/sampler_results/episode_reward_mean`, `info/learner/default_policy/learner_stats/kl`)
 * to LoomRL's flattened name (`episodeRewardMean`, `evaluation/episodeRewardMean`, `learnerStats/kl`).
 * LoomRL names pass through unchanged.
 */
export function resultKeyFromRLlib(key: string): string {
  const mapped = key
    .replace(/^info\/learner\/[^/]+\/learner_stats\//, 'learnerStats/')
    .replace(/^(evaluation\/)?sampler_results\//, '$1')
    .replace(/^env_runners\//, '')
    .replace(/episode_return_/g, 'episode_reward_');
  return mapped.split('/').map(snakeToCamel).join('/');
}
