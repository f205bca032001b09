import type { ColumnSet } from '@loomrl/core';

/** The columns the n-step connector needs: rows of one episode segment share an `epsId`. */
export interface NStepInputColumns extends ColumnSet {
  readonly rewards: Float32Array;
  readonly nextObs: Float32Array;
  readonly terminateds: Uint8Array;
  readonly truncateds: Uint8Array;
  readonly epsId: Float64Array;
}

/** The column the n-step connector adds: γᵏ for the k rewards summed into `rewards`. */
export interface NStepColumns extends ColumnSet {
  readonly nStepDiscounts: Float32Array;
}

/**
 * The columns a replay buffer adds to every sampled batch: the storage index of each row (RLlib
 * `batch_indexes`, to pass back to `updatePriorities`) and its importance weight (RLlib `weights`;
 * 1 for uniform replay).
 */
export interface ReplayColumns extends ColumnSet {
  readonly batchIndexes: Int32Array;
  readonly weights: Float32Array;
}

/** Column names a replay buffer writes into its samples, so stored batches cannot hold them. */
export const REPLAY_COLUMN_NAMES: readonly string[] = ['batchIndexes', 'weights'];
