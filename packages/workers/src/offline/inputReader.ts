import type { SampleBatch, TransitionColumns } from '@loomrl/core';

/** Where a rollout worker's `sample()` gets its batches (RLlib's `InputReader`): stepped envs, logged files, or a mix. */
export interface InputReader {
  /** The next batch (for file readers: at least the reader's batch size in rows, whole lines). */
  next(): SampleBatch<TransitionColumns>;
}
