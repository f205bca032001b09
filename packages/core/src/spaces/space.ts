import { DataError } from '../errors.js';
import type { Rng } from '../rng.js';

/** Plain-data description of a space: survives JSON and structured clone (e.g. to a worker thread). */
export type SpaceJSON =
  | { readonly type: 'Discrete'; readonly n: number; readonly start: number }
  | { readonly type: 'MultiDiscrete'; readonly nvec: readonly number[] }
  | {
      readonly type: 'Box';
      readonly low: readonly number[];
      readonly high: readonly number[];
      readonly shape: readonly number[];
      readonly dtype: BoxDtype;
    }
  | { readonly type: 'Dict'; readonly spaces: Readonly<Record<string, SpaceJSON>> }
  | { readonly type: 'Tuple'; readonly spaces: readonly SpaceJSON[] };

/** Element types a `Box` can hold. */
export type BoxDtype = 'float32' | 'float64' | 'int32';

/**
 * A set of valid observations or actions (Gymnasium's `Space`).
 * `flatten` writes an element into a `Float32Array` of `flatDim` numbers (one-hot for `Discrete`,
 * as Gymnasium's `flatten` does); `unflatten` reverses it.
 */
export interface Space<T> {
  /** Which kind of space this is. */
  readonly type: SpaceJSON['type'];
  /** How many numbers `flatten` writes. */
  readonly flatDim: number;
  /** A random element, drawn from `rng`. */
  sample(rng: Rng): T;
  /** Whether `value` is an element of this space. */
  contains(value: unknown): value is T;
  /** Writes `value` into `out` at `offset` (allocating when `out` is omitted) and returns `out`. */
  flatten(value: T, out?: Float32Array, offset?: number): Float32Array;
  /** The element whose flat form starts at `offset` in `flat`. */
  unflatten(flat: ArrayLike<number>, offset?: number): T;
  /** Plain-data description; `spaceFromJSON` rebuilds the space. */
  toJSON(): SpaceJSON;
  /** Short human-readable form used in error messages, e.g. `Discrete(2)`. */
  toString(): string;
}

/** The element type of a space. */
export type SpaceElement<S> = S extends Space<infer T> ? T : never;

/** Allocates `out` when needed and checks it has room for `size` numbers from `offset`. */
export function flatTarget(out: Float32Array | undefined, offset: number, size: number): Float32Array {
  const target = out ?? new Float32Array(size + offset);
  if (offset + size > target.length) {
    throw new DataError(`flatten needs ${size} numbers at offset ${offset}, but the output has length ${target.length}`);
  }
  return target;
}
