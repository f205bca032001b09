import type { ColumnSet } from '@loomrl/core';
import { joinStateArrays, type LearnerState, type StateArray, splitStateArrays } from '@loomrl/core/internal';
import type { AnyReplayBuffer } from './createReplayBuffer.js';

/** A replay buffer's share of a learner state: `extra.replayBuffer` (plain data) and the typed arrays it refers to. */
export interface ReplayCheckpoint {
  readonly replayBuffer: unknown;
  readonly arrays: Record<string, StateArray>;
}

/**
 * The buffer's checkpoint part when `store` (RLlib `store_buffer_in_checkpoints`), else
 * `replayBuffer: null` and no arrays — a restored run then refills an empty buffer.
 */
export function replayCheckpoint<C extends ColumnSet>(buffer: AnyReplayBuffer<C>, store: boolean): ReplayCheckpoint {
  if (!store) return { replayBuffer: null, arrays: {} };
  const { json, arrays } = splitStateArrays('replay', buffer.getState());
  return { replayBuffer: json, arrays };
}

/** Refills `buffer` from a learner state written with `replayCheckpoint(…, true)`; nothing when it holds no buffer. */
export function restoreReplayCheckpoint<C extends ColumnSet>(buffer: AnyReplayBuffer<C>, state: LearnerState): void {
  const json = state.extra.replayBuffer;
  if (json !== null && json !== undefined) buffer.setState(joinStateArrays(json, state.arrays) as never);
}
