import { DataError, describeValue } from '../../errors.js';

/** Checks a row count: an integer >= 0. */
export function checkRows(where: string, rows: number): void {
  if (!Number.isInteger(rows) || rows < 0) throw new DataError(`${where}: rows must be an integer >= 0, got ${describeValue(rows)}`);
}

/**
 * Checks that `values` is a Float32Array or Float64Array of `rows` rows of `width` finite numbers;
 * `widthName` names the width in messages (e.g. `featureDim`).
 */
export function checkFeatureRows(where: string, name: string, values: unknown, rows: number, width: number, widthName: string): void {
  if (!(values instanceof Float32Array || values instanceof Float64Array)) {
    throw new DataError(`${where}: ${name} must be a Float32Array or Float64Array, got ${describeValue(values)}`);
  }
  if (values.length !== rows * width) {
    throw new DataError(
      `${where}: ${name} has ${values.length} values; expected rows × ${widthName} = ${rows} × ${width} = ${rows * width}`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      throw new DataError(`${where}: ${name}[${i}] (row ${Math.floor(i / width)}, entry ${i % width}) is ${v}; ${name} must be finite`);
    }
  }
}

/** Checks `rows` integer indices in [0, n); `what` names an index (e.g. `an arm index`). */
export function checkIndices(where: string, name: string, values: ArrayLike<number>, rows: number, n: number, what: string): void {
  if (values?.length !== rows) throw new DataError(`${where}: ${name} has ${values?.length} entries; expected one per row (${rows})`);
  for (let i = 0; i < rows; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new DataError(`${where}: ${name}[${i}] is ${describeValue(v)}; expected ${what}, an integer in [0, ${n})`);
    }
  }
}

/** Checks `rows` finite rewards. */
export function checkRewards(where: string, rewards: ArrayLike<number>, rows: number): void {
  if (rewards?.length !== rows) throw new DataError(`${where}: rewards has ${rewards?.length} entries; expected one per row (${rows})`);
  for (let i = 0; i < rows; i++) {
    const v = rewards[i] as number;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new DataError(`${where}: rewards[${i}] is ${describeValue(v)}; expected a finite number`);
  }
}

/** Checks an output array's length. */
export function checkOutput(where: string, name: string, out: Float32Array, length: number): void {
  if (!(out instanceof Float32Array) || out.length !== length) {
    throw new DataError(`${where}: ${name} must be a Float32Array of ${length} entries, got ${describeValue(out)}`);
  }
}
