import type { ColumnSet, Rng, SampleBatch } from '@loomrl/core';
import type { ReplayColumns } from './columns.js';
import { type ReplayBufferConfig, resolveReplayBufferConfig } from './config.js';
import type { RingStorageState } from './ringStorage.js';
import { checkSampleRequest, checkStateKind, StoredRows } from './storedRows.js';

/** Per-call options of `sample`. */
export interface ReplaySampleOptions {
  /** The global timestep, for β annealing of prioritized replay (ignored by uniform replay). */
  readonly timestep?: number;
}

/** The plain-data state of a uniform `ReplayBuffer` (typed arrays; for `storeBufferInCheckpoints`). */
export interface ReplayBufferState extends RingStorageState {
  readonly kind: 'ReplayBuffer';
}

/**
 * Uniform experience replay (RLlib's `ReplayBuffer` with `storage_unit: timesteps`): a ring of
 * `capacity` transition rows in typed-array columns; `sample` draws rows uniformly with replacement.
 */
export class ReplayBuffer<C extends ColumnSet = ColumnSet> extends StoredRows {
  /** An empty buffer; `capacity` defaults to RLlib's 50 000 (a `ConfigError` names a bad value). */
  constructor(config: Partial<Pick<ReplayBufferConfig, 'capacity'>> = {}) {
    super(resolveReplayBufferConfig({ capacity: config.capacity }).capacity);
  }

  /**
   * Copies the batch's rows in, overwriting the oldest when full. The first batch fixes the columns
   * (names, widths, dtypes); a later batch that differs gets a `DataError` naming the column.
   */
  add(batch: SampleBatch<C>): void {
    this.storage.write(batch);
  }

  /** `numRows` rows drawn uniformly with replacement, copied, with `batchIndexes` and `weights` (all 1). */
  sample(numRows: number, rng: Rng, _options: ReplaySampleOptions = {}): SampleBatch<C & ReplayColumns> {
    checkSampleRequest(numRows, this.size, 'ReplayBuffer');
    const sample = this.storage.allocateSample(numRows);
    const { batchIndexes, weights } = sample;
    const size = this.size;
    for (let r = 0; r < numRows; r++) batchIndexes[r] = rng.int(size);
    weights.fill(1);
    return this.storage.gather(sample) as SampleBatch<C & ReplayColumns>;
  }

  /** The stored rows and counters as plain data (copies). */
  getState(): ReplayBufferState {
    return { kind: 'ReplayBuffer', ...this.storage.getState() };
  }

  /** Restores `getState()` output of a buffer with the same capacity; a `CheckpointError` says what does not fit. */
  setState(state: ReplayBufferState): void {
    checkStateKind(state, 'ReplayBuffer');
    this.storage.setState(state);
  }
}
