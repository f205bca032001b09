import type { Column, ColumnDtype } from '@loomrl/core';
import { allocateColumn } from '@loomrl/core/internal';

/** Append-only typed-array columns that double when full (the buffer of one unfinished episode). */
export class GrowableColumns<K extends string> {
  private capacity: number;
  private size = 0;
  private readonly kinds: Record<K, ColumnDtype>;
  private readonly widths: Record<K, number>;
  private data: Record<K, Column>;

  /** Columns with the given element types and widths. */
  constructor(kinds: Record<K, ColumnDtype>, widths: Record<K, number>, initialRows = 64) {
    this.kinds = kinds;
    this.widths = widths;
    this.capacity = initialRows;
    this.data = {} as Record<K, Column>;
    for (const name of Object.keys(kinds) as K[]) this.data[name] = allocateColumn(kinds[name], initialRows * widths[name]);
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
        const grown = allocateColumn(this.kinds[name], this.capacity * this.widths[name]);
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

  /** Copies of the held rows (the buffer is unchanged). */
  copyRows(): Record<K, Column> {
    const out = {} as Record<K, Column>;
    for (const name of Object.keys(this.kinds) as K[]) out[name] = this.data[name].slice(0, this.size * this.widths[name]);
    return out;
  }

  /** Copies of the held rows, then empties the buffer. */
  drain(): Record<K, Column> {
    const out = this.copyRows();
    this.size = 0;
    return out;
  }

  /** Replaces the contents with `rows` rows of `columns` (what `copyRows` returned). */
  load(rows: number, columns: Readonly<Record<K, ArrayLike<number>>>): void {
    this.size = 0;
    while (this.capacity < rows) this.capacity *= 2;
    for (const name of Object.keys(this.kinds) as K[]) {
      const column = allocateColumn(this.kinds[name], this.capacity * this.widths[name]);
      column.set(columns[name]);
      this.data[name] = column;
    }
    this.size = rows;
  }
}
