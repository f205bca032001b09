import { ConfigError, DataError } from '../errors.js';
import type { Rng } from '../rng.js';
import { flatTarget, type Space, type SpaceJSON } from './space.js';

/** A vector of independent discrete choices, entry i in `[0, nvec[i])` (Gymnasium's `MultiDiscrete`). */
export class MultiDiscrete implements Space<Int32Array> {
  readonly type = 'MultiDiscrete' as const;
  readonly nvec: readonly number[];
  readonly flatDim: number;

  /** One entry per choice, each the number of options (≥ 1). */
  constructor(nvec: readonly number[]) {
    if (nvec.length === 0) throw new ConfigError('MultiDiscrete(nvec): nvec must not be empty');
    for (const n of nvec) {
      if (!Number.isInteger(n) || n < 1) throw new ConfigError(`MultiDiscrete(nvec): every entry must be an integer >= 1, got ${n}`);
    }
    this.nvec = [...nvec];
    this.flatDim = nvec.reduce((sum, n) => sum + n, 0);
  }

  sample(rng: Rng): Int32Array {
    return Int32Array.from(this.nvec, (n) => rng.int(n));
  }

  contains(value: unknown): value is Int32Array {
    if (!(ArrayBuffer.isView(value) || Array.isArray(value))) return false;
    const values = value as ArrayLike<unknown>;
    if (values.length !== this.nvec.length) return false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= (this.nvec[i] ?? 0)) return false;
    }
    return true;
  }

  flatten(value: Int32Array, out?: Float32Array, offset = 0): Float32Array {
    const target = flatTarget(out, offset, this.flatDim);
    // An out-of-range entry would set a slot that belongs to the next entry (or the next space) in the buffer.
    if (!this.contains(value)) {
      throw new DataError(
        `${this.toString()}.flatten: [${Array.from(value as ArrayLike<number>).join(', ')}] is not an element of the space`,
      );
    }
    target.fill(0, offset, offset + this.flatDim);
    let position = offset;
    for (let i = 0; i < this.nvec.length; i++) {
      target[position + (value[i] ?? 0)] = 1;
      position += this.nvec[i] ?? 0;
    }
    return target;
  }

  unflatten(flat: ArrayLike<number>, offset = 0): Int32Array {
    const result = new Int32Array(this.nvec.length);
    let position = offset;
    for (let i = 0; i < this.nvec.length; i++) {
      const n = this.nvec[i] ?? 0;
      for (let k = 0; k < n; k++) if (flat[position + k] === 1) result[i] = k;
      position += n;
    }
    return result;
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiDiscrete', nvec: [...this.nvec] };
  }

  toString(): string {
    return `MultiDiscrete([${this.nvec.join(', ')}])`;
  }
}
