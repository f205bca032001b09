import { Box, type BoxDtype, Discrete, type Space } from '@loomrl/core';
import { describeValue } from '@loomrl/core/internal';

/** Where in a value a non-finite number sits, e.g. `[2]` or `.position[0]`, and the number. */
export interface NonFinite {
  readonly path: string;
  readonly value: number;
}

/** The first NaN or ±Infinity inside `value` (numbers, arrays, typed arrays and plain objects), if any. */
export function findNonFinite(value: unknown, path = '', depth = 0): NonFinite | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, value };
  if (depth > 8 || typeof value !== 'object' || value === null) return undefined;
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const items = value as unknown as ArrayLike<unknown>;
    for (let i = 0; i < items.length; i++) {
      const found = findNonFinite(items[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const found = findNonFinite(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Whether two observations hold the same numbers in the same structure (typed arrays compare by content). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aList = ArrayBuffer.isView(a) || Array.isArray(a);
  const bList = ArrayBuffer.isView(b) || Array.isArray(b);
  if (aList !== bList) return false;
  if (aList) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i])) return false;
    return true;
  }
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => key in bRecord && sameValue((a as Record<string, unknown>)[key], bRecord[key]));
}

/** `describeValue`, cut to a readable length. */
export function shortValue(value: unknown): string {
  const text = describeValue(value);
  return text.length > 240 ? `${text.slice(0, 237)}...` : text;
}

/** Why `value` is not in `space`, in a few words, for Box and Discrete spaces; '' when no detail is known. */
export function explainMismatch(space: Space<unknown>, value: unknown): string {
  if (space instanceof Box) {
    if (!(ArrayBuffer.isView(value) || Array.isArray(value)))
      return ` (it is ${typeof value}, expected an array of ${space.flatDim} numbers)`;
    const items = value as unknown as ArrayLike<unknown>;
    if (items.length !== space.flatDim) {
      return ` (it has ${items.length} entries; the space has shape [${space.shape.join(', ')}], ${space.flatDim} entries)`;
    }
    const round = space.dtype === 'float32' ? Math.fround : (x: number) => x;
    for (let i = 0; i < items.length; i++) {
      const v = items[i];
      const low = space.low[i] ?? 0;
      const high = space.high[i] ?? 0;
      if (typeof v !== 'number') return ` (entry ${i} is ${describeValue(v)}, not a number)`;
      if (round(v) < round(low) || round(v) > round(high)) return ` (entry ${i} = ${v} is outside [${low}, ${high}])`;
      if (space.dtype === 'int32' && !Number.isInteger(v)) return ` (entry ${i} = ${v} is not an integer)`;
    }
    return '';
  }
  if (space instanceof Discrete) return ` (expected an integer in [${space.start}, ${space.start + space.n - 1}])`;
  return '';
}

/** The typed array a Box of this dtype should hold, or undefined when `value` already matches. */
export function boxDtypeMismatch(space: Space<unknown>, value: unknown): string | undefined {
  if (!(space instanceof Box)) return undefined;
  const expected = { float32: Float32Array, float64: Float64Array, int32: Int32Array }[(space as Box<BoxDtype>).dtype];
  return value instanceof expected ? undefined : expected.name;
}
