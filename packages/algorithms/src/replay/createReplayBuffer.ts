import type { ColumnSet } from '@loomrl/core';
import { isPrioritizedType, type ReplayBufferConfig, resolveReplayBufferConfig } from './config.js';
import { PrioritizedReplayBuffer } from './prioritizedReplayBuffer.js';
import { ReplayBuffer } from './replayBuffer.js';

/** Either kind of replay buffer; narrow with `instanceof PrioritizedReplayBuffer` to update priorities. */
export type AnyReplayBuffer<C extends ColumnSet = ColumnSet> = ReplayBuffer<C> | PrioritizedReplayBuffer<C>;

/**
 * The buffer a `replayBufferConfig` describes (missing options take RLlib's defaults, so `{}` is a
 * prioritized buffer of 50 000 rows); a bad option is a `ConfigError` naming it.
 */
export function createReplayBuffer<C extends ColumnSet = ColumnSet>(
  config: Partial<ReplayBufferConfig> = {},
  where = 'replayBufferConfig',
): AnyReplayBuffer<C> {
  const { type, ...options } = resolveReplayBufferConfig(config, where);
  return isPrioritizedType(type) ? new PrioritizedReplayBuffer<C>(options) : new ReplayBuffer<C>({ capacity: options.capacity });
}
