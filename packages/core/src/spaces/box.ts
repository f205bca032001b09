import { ConfigError } from '../errors.js';
import type { Rng } from '../rng.js';
import { type BoxDtype, flatTarget, type Space, type SpaceJSON } from './space.js';

/** The typed array a `Box` element is stored in, by dtype. */
export type BoxArray = Float32Array | Float64Array | Int32Array;

/** The array type of a `Box` of dtype `D`: `Float32Array` for `'float32'` (the default), and so on. */
export type BoxArrayOf<D extends BoxDtype> = D extends 'float64' ? Float64Array : D extends 'int32' ? Int32Array : Float32Array;

/** Options of a `Box`: bounds (a number for every entry, or one per entry), shape and dtype. */
export interface BoxOptions<D extends BoxDtype = BoxDtype> {
  readonly low: number | readonly number[];
  readonly high: number | readonly number[];
  /** Defaults to `[low.length]` when `low` or `high` is an array. */
  readonly shape?: readonly number[];
  /** Defaults to `'float32'`. */
  readonly dtype?: D;
}

function allocate(dtype: BoxDtype, size: number): BoxArray {
  if (dtype === 'float64') return new Float64Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Float32Array(size);
}

/** Encodes an infinite bound as `null` so a `SpaceJSON` survives `JSON.stringify`. */
function boundsToJSON(bounds: Float64Array): number[] {
  return Array.from(bounds, (v) => (Number.isFinite(v) ? v : (null as unknown as number)));
}

/**
 * A (possibly unbounded) box in ℝⁿ or ℤⁿ, flattened in row-major order (Gymnasium's `Box`). Its
 * elements are `Float32Array`s (the default dtype), `Float64Array`s or `Int32Array`s, and the type
 * says which: `new Box({ low: -1, high: 1, shape: [4] })` is a `Space<Float32Array>`, so an
 * `Env<Float32Array, number>` can declare it as its observation space.
 */
export class Box<D extends BoxDtype = 'float32'> implements Space<BoxArrayOf<D>> {
  readonly type = 'Box' as const;
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly shape: readonly number[];
  readonly dtype: D;
  readonly flatDim: number;

  /** A box with the given bounds; throws when `low > high` anywhere or shapes disagree. */
  constructor(options: BoxOptions<D>) {
    const arrayLength = Array.isArray(options.low)
      ? (options.low as number[]).length
      : Array.isArray(options.high)
        ? (options.high as number[]).length
        : undefined;
    const shape = options.shape ?? (arrayLength === undefined ? undefined : [arrayLength]);
    if (shape === undefined) throw new ConfigError('Box: give a shape when low and high are both numbers');
    for (const d of shape)
      if (!Number.isInteger(d) || d < 0) throw new ConfigError(`Box: shape entries must be integers >= 0, got [${shape.join(', ')}]`);
    const size = shape.reduce((p, d) => p * d, 1);
    this.shape = [...shape];
    this.dtype = options.dtype ?? ('float32' as D);
    this.flatDim = size;
    this.low = Box.expand(options.low, size, 'low');
    this.high = Box.expand(options.high, size, 'high');
    for (let i = 0; i < size; i++) {
      if (!((this.low[i] ?? 0) <= (this.high[i] ?? 0))) {
        throw new ConfigError(`Box: low[${i}] = ${this.low[i]} must be <= high[${i}] = ${this.high[i]}`);
      }
      if (this.dtype === 'int32' && Math.ceil(this.low[i] ?? 0) > Math.floor(this.high[i] ?? 0)) {
        throw new ConfigError(`Box: int32 entry ${i} has no integer between low = ${this.low[i]} and high = ${this.high[i]}`);
      }
    }
  }

  private static expand(bound: number | readonly number[], size: number, name: string): Float64Array {
    if (typeof bound === 'number') return new Float64Array(size).fill(bound);
    if (bound.length !== size) throw new ConfigError(`Box: ${name} has ${bound.length} entries, the shape needs ${size}`);
    return Float64Array.from(bound, (v) => (v === null ? (name === 'low' ? -Infinity : Infinity) : v));
  }

  /** Whether every entry has finite bounds on both sides. */
  isBounded(): boolean {
    for (let i = 0; i < this.flatDim; i++) {
      if (!Number.isFinite(this.low[i]) || !Number.isFinite(this.high[i])) return false;
    }
    return true;
  }

  /** Uniform where bounded, exponential where half-bounded, normal where unbounded (as Gymnasium samples). */
  sample(rng: Rng): BoxArrayOf<D> {
    const out = allocate(this.dtype, this.flatDim) as BoxArrayOf<D>;
    const integer = this.dtype === 'int32';
    for (let i = 0; i < this.flatDim; i++) {
      // An int32 box holds the integers in [ceil(low), floor(high)]; fractional bounds must not leak out.
      const low = integer ? Math.ceil(this.low[i] ?? 0) : (this.low[i] ?? 0);
      const high = integer ? Math.floor(this.high[i] ?? 0) : (this.high[i] ?? 0);
      let value: number;
      if (Number.isFinite(low) && Number.isFinite(high)) {
        value = integer ? low + rng.int(high - low + 1) : rng.uniform(low, high);
      } else if (Number.isFinite(low)) value = low + rng.exponential();
      else if (Number.isFinite(high)) value = high - rng.exponential();
      else value = rng.normal();
      out[i] = integer ? Math.floor(value) : value;
    }
    return out;
  }

  contains(value: unknown): value is BoxArrayOf<D> {
    if (!(ArrayBuffer.isView(value) || Array.isArray(value))) return false;
    const values = value as ArrayLike<unknown>;
    if (values.length !== this.flatDim) return false;
    for (let i = 0; i < this.flatDim; i++) {
      const v = values[i];
      if (typeof v !== 'number' || Number.isNaN(v)) return false;
      if (this.dtype === 'int32' && !Number.isInteger(v)) return false;
      const stored = this.dtype === 'float32' ? Math.fround(v) : v;
      const low = this.dtype === 'float32' ? Math.fround(this.low[i] ?? 0) : (this.low[i] ?? 0);
      const high = this.dtype === 'float32' ? Math.fround(this.high[i] ?? 0) : (this.high[i] ?? 0);
      if (stored < low || stored > high) return false;
    }
    return true;
  }

  flatten(value: ArrayLike<number>, out?: Float32Array, offset = 0): Float32Array {
    const target = flatTarget(out, offset, this.flatDim);
    for (let i = 0; i < this.flatDim; i++) target[offset + i] = value[i] ?? 0;
    return target;
  }

  unflatten(flat: ArrayLike<number>, offset = 0): BoxArrayOf<D> {
    const out = allocate(this.dtype, this.flatDim) as BoxArrayOf<D>;
    for (let i = 0; i < this.flatDim; i++) out[i] = flat[offset + i] ?? 0;
    return out;
  }

  toJSON(): SpaceJSON {
    return { type: 'Box', low: boundsToJSON(this.low), high: boundsToJSON(this.high), shape: [...this.shape], dtype: this.dtype };
  }

  toString(): string {
    const fmt = (b: Float64Array) => {
      const first = b[0];
      return b.every((v) => v === first) ? String(first) : `[${Array.from(b).join(', ')}]`;
    };
    return `Box(${fmt(this.low)}, ${fmt(this.high)}, (${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}), ${this.dtype})`;
  }
}
