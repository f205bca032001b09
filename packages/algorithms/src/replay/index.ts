export type { NStepColumns, NStepInputColumns, ReplayColumns } from './columns.js';
export {
  checkReplayBufferConfig,
  mergeReplayBufferConfig,
  REPLAY_BUFFER_DEFAULTS,
  REPLAY_BUFFER_TYPES,
  type ReplayBufferConfig,
  type ReplayBufferType,
  resolveReplayBufferConfig,
} from './config.js';
export { type AnyReplayBuffer, createReplayBuffer } from './createReplayBuffer.js';
export { PrioritizedReplayBuffer, type PrioritizedReplayBufferState, type PrioritizedReplayOptions } from './prioritizedReplayBuffer.js';
export { ReplayBuffer, type ReplayBufferState, type ReplaySampleOptions } from './replayBuffer.js';
export type { RingStorageState } from './ringStorage.js';
export { MinSegmentTree, SumSegmentTree } from './segmentTree.js';
