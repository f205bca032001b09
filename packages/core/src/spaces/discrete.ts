import { ConfigError, DataError } from '../errors.js';
import type { Rng } from '../rng.js';
import { flatTarget, type Space, type SpaceJSON } from './space.js';

/** The integers `start, start + 1, …, start + n − 1` (Gymnasium's `Discrete`). */
export class Discrete implements Space<number> {
  readonly type = 'Discrete' as const;
  readonly n: number;
  readonly start: number;

  /** `n` ≥ 1 choices starting at `start` (default 0). */
  constructor(n: number, start = 0) {
    if (!Number.isInteger(n) || n < 1) throw new ConfigError(`Discrete(n): n must be an integer >= 1, got ${n}`);
    if (!Number.isInteger(start)) throw new ConfigError(`Discrete(n, start): start must be an integer, got ${start}`);
    this.n = n;
    this.start = start;
  }

  get flatDim(): number {
    return this.n;
  }

  sample(rng: Rng): number {
    return this.start + rng.int(this.n);
  }

  contains(value: unknown): value is number {
    return typeof value === 'number' && Number.isInteger(value) && value >= this.start && value < this.start + this.n;
  }

  flatten(value: number, out?: Float32Array, offset = 0): Float32Array {
    const target = flatTarget(out, offset, this.n);
    // An out-of-range value would set a slot that belongs to the next space or env in a shared buffer.
    if (!this.contains(value)) throw new DataError(`${this.toString()}.flatten: ${value} is not an element of the space`);
    target.fill(0, offset, offset + this.n);
    target[offset + value - this.start] = 1;
    return target;
  }

  unflatten(flat: ArrayLike<number>, offset = 0): number {
    for (let i = 0; i < this.n; i++) if (flat[offset + i] === 1) return this.start + i;
    throw new DataError(`Discrete(${this.n}).unflatten: no one-hot entry at offset ${offset}`);
  }

  toJSON(): SpaceJSON {
    return { type: 'Discrete', n: this.n, start: this.start };
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
