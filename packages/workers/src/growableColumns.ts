import type { Column } from '@loomrl/core';

type ColumnKind = 'f32' | 'f64' | 'i32' | 'u8';

function allocate(kind: ColumnKind, length: number): Column {
  if (kind === 'f64') return new Float64Array(length);
  if (kind === 'i32') return new Int32Array(length);
  if (kind === 'u8') return new Uint8Array(length);
  return new Float32Array(length);
}

/** Append-only typed-array columns that double when full (the buffer of one unfinished episode). */
export class GrowableColumns<K extends string> {
  private capacity: number;
  private size = 0;
  private readonly kinds: Record<K, ColumnKind>;
  private readonly widths: Record<K, number>;
  private data: Record<K, Column>;

  /** Columns with the given element kinds and widths. */
  constructor(kinds: Record<K, ColumnKind>, widths: Record<K, number>, initialRows = 64) {
    this.kinds = kinds;
    this.widths = widths;
    this.capacity = initialRows;
    this.data = {} as Record<K, Column>;
    for (const name of Object.keys(kinds) as K[]) this.data[name] = allocate(kinds[name], initialRows * widths[name]);
  }

  /** Rows held. */
  get rows(): number {
    return this.size;
  }

  /** Reserves one row and returns its index; write it with `column(name)`. */
  pushRow(): number {
    if (this.size === this.capacity) {
      this.capacity *= 2;
      for (const name of Object.keys(this.kinds) as K[]) {
        const grown = allocate(this.kinds[name], this.capacity * this.widths[name]);
        grown.set(this.data[name]);
        this.data[name] = grown;
      }
    }
    this.size += 1;
    return this.size - 1;
  }

  /** The backing array of a column (valid until the next `pushRow`). */
  column(name: K): Column {
    return this.data[name];
  }

  /** Copies of the held rows, then empties the buffer. */
  drain(): Record<K, Column> {
    const out = {} as Record<K, Column>;
    for (const name of Object.keys(this.kinds) as K[]) out[name] = this.data[name].slice(0, this.size * this.widths[name]);
    this.size = 0;
    return out;
  }
}
