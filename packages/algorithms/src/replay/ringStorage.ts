import { CheckpointError, type Column, type ColumnSet, DataError, SampleBatch } from '@loomrl/core';
import { describeValue } from '@loomrl/core/internal';
import { REPLAY_COLUMN_NAMES } from './columns.js';

type ColumnConstructor = new (length: number) => Column;
type ViewConstructor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => Column;

const DTYPES: Readonly<Record<string, ColumnConstructor>> = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint8Array,
};

/** The plain-data contents of a `RingStorage`: rows `[0, size)` of each column, copied. */
export interface RingStorageState {
  readonly capacity: number;
  /** Rows held, ≤ capacity. */
  readonly size: number;
  /** The storage index the next added row goes to. */
  readonly nextIndex: number;
  /** Rows ever added, including overwritten ones. */
  readonly numAdded: number;
  /** Numbers per row by column; `null` before the first batch. */
  readonly widths: Readonly<Record<string, number>> | null;
  /** `size × width` numbers per column, in storage order. */
  readonly columns: Readonly<Record<string, Column>>;
}

/** The arrays of one sample: the replay columns to fill, then the stored columns `gather` fills. */
export interface SampleArrays {
  readonly buffer: ArrayBuffer;
  readonly batchIndexes: Int32Array;
  readonly weights: Float32Array;
  readonly columns: Readonly<Record<string, Column>>;
}

/** One stored column: its storage and how its rows are laid out. */
interface ColumnLayout {
  readonly name: string;
  readonly width: number;
  readonly rowBytes: number;
  readonly View: ViewConstructor;
  readonly source: Column;
}

/** Where an `add` wrote its rows: storage indices `[start, start + count)`, wrapping at capacity. */
export interface WrittenRows {
  readonly start: number;
  readonly count: number;
}

/** `bytes` rounded up to a multiple of 8, so the next view (up to `Float64Array`) is aligned. */
function aligned8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

function dtypeOf(column: Column): string {
  return column.constructor.name;
}

/**
 * Fixed-capacity columnar ring storage: one typed array of `capacity × width` per column, created
 * from the first batch's columns (names, widths, dtypes); every later batch must have the same.
 * Full storage overwrites its oldest rows. Adds and gathers copy typed arrays, never rows as objects.
 */
export class RingStorage {
  readonly capacity: number;
  private widths: Record<string, number> | null = null;
  private columns: Record<string, Column> = {};
  private names: string[] = [];
  private layouts: ColumnLayout[] = [];
  /** The widths of a sample's columns (stored + replay), shared by every sample. */
  private sampleWidths: Readonly<Record<string, number>> | null = null;
  private nextIndex = 0;
  private stored = 0;
  private added = 0;

  /** Empty storage for `capacity` rows (an integer ≥ 1, checked by the buffer's config). */
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Rows held. */
  get size(): number {
    return this.stored;
  }

  /** Rows ever added. */
  get numAdded(): number {
    return this.added;
  }

  /** Copies `batch`'s rows in (only its last `capacity` rows when it is larger) and says where they went. */
  write(batch: SampleBatch<ColumnSet>): WrittenRows {
    if (this.widths === null) this.allocate(batch);
    else this.checkColumns(batch);
    const count = batch.count;
    const kept = Math.min(count, this.capacity);
    const skipped = count - kept;
    const start = (this.nextIndex + skipped) % this.capacity;
    const firstChunk = Math.min(kept, this.capacity - start);
    const widths = this.widths as Record<string, number>;
    for (const name of this.names) {
      const width = widths[name] as number;
      const source = batch.columns[name] as Column;
      const target = this.columns[name] as Column;
      const from = skipped * width;
      target.set(source.subarray(from, from + firstChunk * width), start * width);
      if (firstChunk < kept) target.set(source.subarray(from + firstChunk * width, count * width), 0);
    }
    this.nextIndex = (this.nextIndex + count) % this.capacity;
    this.stored = Math.min(this.capacity, this.stored + count);
    this.added += count;
    return { start, count: kept };
  }

  private allocate(batch: SampleBatch<ColumnSet>): void {
    const widths: Record<string, number> = {};
    for (const [name, column] of Object.entries(batch.columns)) {
      if (REPLAY_COLUMN_NAMES.includes(name)) {
        throw new DataError(`Replay buffer: column "${name}" is reserved (sample() writes it); remove it before adding the batch`);
      }
      const Constructor = DTYPES[dtypeOf(column)];
      if (Constructor === undefined) {
        throw new DataError(`Replay buffer: column "${name}" is a ${dtypeOf(column)}, expected one of ${Object.keys(DTYPES).join(', ')}`);
      }
      const width = batch.widths[name] as number;
      widths[name] = width;
      this.columns[name] = new Constructor(this.capacity * width);
    }
    this.widths = widths;
    this.names = Object.keys(widths);
    this.describeColumns();
  }

  private checkColumns(batch: SampleBatch<ColumnSet>): void {
    const widths = this.widths as Record<string, number>;
    for (const name of this.names) {
      const column = batch.columns[name];
      if (column === undefined) {
        throw new DataError(`Replay buffer: the batch lacks column "${name}"; the buffer stores ${this.names.join(', ')}`);
      }
      const stored = this.columns[name] as Column;
      if (dtypeOf(column) !== dtypeOf(stored)) {
        throw new DataError(`Replay buffer: column "${name}" is a ${dtypeOf(column)}, the buffer stores it as ${dtypeOf(stored)}`);
      }
      if (batch.widths[name] !== widths[name]) {
        throw new DataError(`Replay buffer: column "${name}" has width ${batch.widths[name]}, the buffer stores width ${widths[name]}`);
      }
    }
    if (Object.keys(batch.columns).length !== this.names.length) {
      const extra = Object.keys(batch.columns).filter((name) => widths[name] === undefined);
      throw new DataError(
        `Replay buffer: the batch has column(s) ${extra.map((n) => `"${n}"`).join(', ')} the buffer does not store; it stores ${this.names.join(', ')}`,
      );
    }
  }

  /**
   * Arrays for a sample of `rows` rows: the replay columns to fill (`batchIndexes`, `weights`) and
   * one empty array per stored column, all views of a single `ArrayBuffer` (one allocation instead
   * of one per column: small typed arrays are costly to allocate).
   */
  allocateSample(rows: number): SampleArrays {
    let bytes = rows * 8; // batchIndexes (4 bytes) + weights (4 bytes) per row
    for (const layout of this.layouts) bytes += aligned8(rows * layout.rowBytes);
    const buffer = new ArrayBuffer(bytes);
    const batchIndexes = new Int32Array(buffer, 0, rows);
    const weights = new Float32Array(buffer, 4 * rows, rows);
    let offset = rows * 8;
    const columns: Record<string, Column> = {};
    for (const layout of this.layouts) {
      columns[layout.name] = new layout.View(buffer, offset, rows * layout.width);
      offset += aligned8(rows * layout.rowBytes);
    }
    if (this.sampleWidths === null) this.sampleWidths = { ...this.widths, batchIndexes: 1, weights: 1 };
    return { buffer, batchIndexes, weights, columns };
  }

  /** Copies the stored rows named by `sample.batchIndexes` (each in `[0, size)`) into its columns; returns the batch. */
  gather(sample: SampleArrays): SampleBatch<ColumnSet> {
    const indices = sample.batchIndexes;
    const rows = indices.length;
    for (const { name, width, source } of this.layouts) {
      const target = sample.columns[name] as Column;
      if (width === 1) {
        for (let r = 0; r < rows; r++) target[r] = source[indices[r] as number] as number;
      } else {
        for (let r = 0; r < rows; r++) {
          const from = (indices[r] as number) * width;
          const to = r * width;
          for (let k = 0; k < width; k++) target[to + k] = source[from + k] as number;
        }
      }
    }
    const columns: ColumnSet = { ...sample.columns, batchIndexes: indices, weights: sample.weights };
    return new SampleBatch<ColumnSet>(rows, this.sampleWidths ?? { batchIndexes: 1, weights: 1 }, columns);
  }

  /** Recomputes the column layouts after the columns changed. */
  private describeColumns(): void {
    const widths = this.widths ?? {};
    this.layouts = this.names.map((name) => {
      const source = this.columns[name] as Column;
      const width = widths[name] as number;
      return { name, width, rowBytes: width * source.BYTES_PER_ELEMENT, View: source.constructor as ViewConstructor, source };
    });
    this.sampleWidths = null;
  }

  /** Copies of the stored rows and the ring's counters. */
  getState(): RingStorageState {
    const columns: Record<string, Column> = {};
    const widths = this.widths;
    if (widths !== null) {
      for (const name of this.names) columns[name] = (this.columns[name] as Column).slice(0, this.stored * (widths[name] as number));
    }
    return {
      capacity: this.capacity,
      size: this.stored,
      nextIndex: this.nextIndex,
      numAdded: this.added,
      widths: widths === null ? null : { ...widths },
      columns,
    };
  }

  /** Replaces the contents by `state` (from `getState()` of storage with the same capacity); throws `CheckpointError` when it does not fit. */
  setState(state: RingStorageState): void {
    const { capacity, size, nextIndex, numAdded, widths, columns } = state;
    const fail = (what: string): never => {
      throw new CheckpointError(`Replay buffer state: ${what}`);
    };
    if (capacity !== this.capacity)
      fail(`it was saved with capacity ${describeValue(capacity)}, this buffer has capacity ${this.capacity}`);
    if (!Number.isInteger(size) || size < 0 || size > capacity) fail(`size ${describeValue(size)} is not an integer in [0, ${capacity}]`);
    const nextOk = size < capacity ? nextIndex === size : Number.isInteger(nextIndex) && nextIndex >= 0 && nextIndex < capacity;
    if (!nextOk) fail(`nextIndex ${describeValue(nextIndex)} does not fit size ${size} and capacity ${capacity}`);
    if (!Number.isInteger(numAdded) || numAdded < size) fail(`numAdded ${describeValue(numAdded)} is not an integer >= size ${size}`);
    if (widths === null && size > 0) fail(`it holds ${size} rows but no columns`);
    const unexpected = Object.keys(columns).filter((name) => widths?.[name] === undefined);
    if (unexpected.length > 0) fail(`column(s) ${unexpected.map((n) => `"${n}"`).join(', ')} have no width`);
    const restored: Record<string, Column> = {};
    for (const [name, width] of Object.entries(widths ?? {})) {
      const column = columns[name];
      if (column === undefined) fail(`column "${name}" is missing`);
      const Constructor = DTYPES[dtypeOf(column as Column)];
      if (Constructor === undefined)
        fail(`column "${name}" is a ${dtypeOf(column as Column)}, expected one of ${Object.keys(DTYPES).join(', ')}`);
      if (!Number.isInteger(width) || width < 0) fail(`column "${name}" has width ${describeValue(width)}`);
      if ((column as Column).length !== size * width) {
        fail(`column "${name}" has ${(column as Column).length} numbers, expected ${size} rows × ${width} = ${size * width}`);
      }
      const target = new (Constructor as ColumnConstructor)(capacity * width);
      target.set(column as Column);
      restored[name] = target;
    }
    this.widths = widths === null ? null : { ...widths };
    this.names = Object.keys(this.widths ?? {});
    this.columns = restored;
    this.describeColumns();
    this.stored = size;
    this.nextIndex = nextIndex;
    this.added = numAdded;
  }
}
