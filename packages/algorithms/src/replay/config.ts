import { type Check, ConfigError } from '@loomrl/core';
import { describeValue, didYouMean, integerAtLeast, nonNegativeNumber, oneOf, plainObject } from '@loomrl/core/internal';

/**
 * Replay buffer types by RLlib's names. The `MultiAgent…` types are RLlib's defaults: a buffer per
 * module id, which for one policy (`'default'`) is one buffer; the plain names are accepted too.
 */
export const REPLAY_BUFFER_TYPES = [
  'MultiAgentReplayBuffer',
  'MultiAgentPrioritizedReplayBuffer',
  'ReplayBuffer',
  'PrioritizedReplayBuffer',
] as const;

/** One of `REPLAY_BUFFER_TYPES`. */
export type ReplayBufferType = (typeof REPLAY_BUFFER_TYPES)[number];

/** The largest capacity: storage indices travel as `Int32Array` (`batchIndexes`). */
export const MAX_REPLAY_CAPACITY = 2 ** 31 - 1;

/** RLlib's `replay_buffer_config`, camelCased. */
export interface ReplayBufferConfig {
  /** Uniform or prioritized replay (RLlib `type`). */
  readonly type: ReplayBufferType;
  /** Rows (env steps) held; the oldest are overwritten (RLlib `capacity`). */
  readonly capacity: number;
  /** What one stored item is (RLlib `storage_unit`); only single timesteps are implemented. */
  readonly storageUnit: 'timesteps';
  /** Priority exponent α: rows are drawn with probability ∝ pᵅ; 0 is uniform (RLlib `prioritized_replay_alpha`). */
  readonly prioritizedReplayAlpha: number;
  /** Importance-sampling exponent β at timestep 0 (RLlib `prioritized_replay_beta`). */
  readonly prioritizedReplayBeta: number;
  /** Added to |TD error| to form a priority, so no row becomes unsampleable (RLlib `prioritized_replay_eps`). */
  readonly prioritizedReplayEps: number;
  /** β reached after the annealing timesteps (RLlib's older `final_prioritized_replay_beta`). */
  readonly finalPrioritizedReplayBeta: number;
  /** Timesteps over which β moves linearly to its final value; 0 = final β at once (RLlib's older `prioritized_replay_beta_annealing_timesteps`). */
  readonly prioritizedReplayBetaAnnealingTimesteps: number;
}

/** RLlib's defaults (DQN's `replay_buffer_config`; the β annealing of its older config, constant 0.4), written once. */
export const REPLAY_BUFFER_DEFAULTS: ReplayBufferConfig = {
  type: 'MultiAgentPrioritizedReplayBuffer',
  capacity: 50_000,
  storageUnit: 'timesteps',
  prioritizedReplayAlpha: 0.6,
  prioritizedReplayBeta: 0.4,
  prioritizedReplayEps: 1e-6,
  finalPrioritizedReplayBeta: 0.4,
  prioritizedReplayBetaAnnealingTimesteps: 20_000,
};

const capacityCheck: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_REPLAY_CAPACITY
    ? undefined
    : `an integer in [1, ${MAX_REPLAY_CAPACITY}]`;

const FIELD_CHECKS: Readonly<Record<keyof ReplayBufferConfig, Check>> = {
  type: oneOf(...REPLAY_BUFFER_TYPES),
  capacity: capacityCheck,
  storageUnit: oneOf('timesteps'),
  prioritizedReplayAlpha: nonNegativeNumber,
  prioritizedReplayBeta: nonNegativeNumber,
  prioritizedReplayEps: nonNegativeNumber,
  finalPrioritizedReplayBeta: nonNegativeNumber,
  prioritizedReplayBetaAnnealingTimesteps: integerAtLeast(0),
};

/**
 * The check of a (partial) `replayBufferConfig` for an `AlgorithmConfig` field: `undefined` when
 * every given option is known and valid, else the words "expected …" naming the option, e.g.
 * `capacity to be an integer in [1, 2147483647] (got 0)`.
 */
export const checkReplayBufferConfig: Check = (value) => {
  if (plainObject(value) !== undefined) return 'a plain object of replay buffer options';
  const names = Object.keys(FIELD_CHECKS);
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const check = FIELD_CHECKS[key as keyof ReplayBufferConfig];
    if (check === undefined) {
      return `known replay buffer options, but "${key}" is not one.${didYouMean(key, names)} Valid options: ${names.join(', ')}`;
    }
    if (inner === undefined) continue;
    const expected = check(inner);
    if (expected !== undefined) return `${key} to be ${expected} (got ${describeValue(inner)})`;
  }
  return undefined;
};

/**
 * A full config: `update` over the defaults, checked; throws a `ConfigError` naming the bad option.
 * `where` prefixes the message (e.g. `training({ replayBufferConfig })`).
 */
export function resolveReplayBufferConfig(update: Partial<ReplayBufferConfig> = {}, where = 'replayBufferConfig'): ReplayBufferConfig {
  const expected = checkReplayBufferConfig(update);
  if (expected !== undefined) throw new ConfigError(`${where}: expected ${expected}.`);
  const defined = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
  return { ...REPLAY_BUFFER_DEFAULTS, ...defined };
}

/**
 * RLlib's merge of `training({ replayBufferConfig })`: the update is merged into the current config,
 * unless it changes `type`, in which case it replaces it (missing options take the defaults).
 */
export function mergeReplayBufferConfig(current: ReplayBufferConfig, update: Partial<ReplayBufferConfig>): ReplayBufferConfig {
  const replaces = update.type !== undefined && update.type !== current.type;
  const defined = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
  return { ...(replaces ? REPLAY_BUFFER_DEFAULTS : current), ...defined };
}

/** Whether `type` is a prioritized buffer. */
export function isPrioritizedType(type: ReplayBufferType): boolean {
  return type === 'MultiAgentPrioritizedReplayBuffer' || type === 'PrioritizedReplayBuffer';
}
