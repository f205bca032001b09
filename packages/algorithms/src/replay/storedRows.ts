import { CheckpointError, DataError } from '@loomrl/core';
import { RingStorage } from './ringStorage.js';

/** What both replay buffers share: ring storage of `capacity` rows and its counters. */
export abstract class StoredRows {
  protected readonly storage: RingStorage;

  protected constructor(capacity: number) {
    this.storage = new RingStorage(capacity);
  }

  /** Rows the buffer can hold. */
  get capacity(): number {
    return this.storage.capacity;
  }

  /** Rows it holds (≤ capacity). */
  get size(): number {
    return this.storage.size;
  }

  /** Rows ever added, including overwritten ones. */
  get numAdded(): number {
    return this.storage.numAdded;
  }
}

/** Throws a `DataError` unless `numRows` is an integer ≥ 0 and the buffer holds a row to draw. */
export function checkSampleRequest(numRows: number, size: number, buffer: string): void {
  if (!Number.isInteger(numRows) || numRows < 0) throw new DataError(`${buffer}.sample: numRows expected an integer >= 0, got ${numRows}`);
  if (size === 0 && numRows > 0) throw new DataError(`${buffer}.sample: the buffer is empty; add() batches before sampling`);
}

/** Throws a `CheckpointError` unless `state` is the state of a buffer of `kind`. */
export function checkStateKind(state: { readonly kind?: unknown }, kind: string): void {
  if (typeof state !== 'object' || state === null || state.kind !== kind) {
    throw new CheckpointError(`${kind}.setState: expected the state of a ${kind}, got one of kind ${String(state?.kind)}`);
  }
}
