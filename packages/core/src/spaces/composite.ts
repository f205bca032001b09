import type { Rng } from '../rng.js';
import { flatTarget, type Space, type SpaceJSON } from './space.js';

/** Throws naming `where` when `space` is not a space (a plain-JS caller can pass anything). */
function assertSpace(space: unknown, where: string): void {
  const s = space as Partial<Space<unknown>> | null;
  if (typeof s !== 'object' || s === null || typeof s.flatDim !== 'number' || typeof s.contains !== 'function') {
    throw new TypeError(
      `${where} must be a space, got ${s === null ? 'null' : typeof s === 'object' ? 'an object that is not a space' : String(s)}`,
    );
  }
}

/** A record of named sub-spaces, flattened in key order as given (Gymnasium's `Dict`). */
export class DictSpace<T extends Record<string, unknown> = Record<string, unknown>> implements Space<T> {
  readonly type = 'Dict' as const;
  readonly spaces: { readonly [K in keyof T]: Space<T[K]> };
  readonly flatDim: number;
  private readonly keys: Array<keyof T & string>;

  /** A Dict space of the given sub-spaces. */
  constructor(spaces: { readonly [K in keyof T]: Space<T[K]> }) {
    this.spaces = spaces;
    this.keys = Object.keys(spaces) as Array<keyof T & string>;
    for (const key of this.keys) assertSpace(spaces[key], `Dict: entry "${key}"`);
    this.flatDim = this.keys.reduce((sum, k) => sum + spaces[k].flatDim, 0);
  }

  sample(rng: Rng): T {
    const out: Record<string, unknown> = {};
    for (const key of this.keys) out[key] = this.spaces[key].sample(rng);
    return out as T;
  }

  contains(value: unknown): value is T {
    if (typeof value !== 'object' || value === null) return false;
    const record = value as Record<string, unknown>;
    if (Object.keys(record).length !== this.keys.length) return false;
    return this.keys.every((key) => key in record && this.spaces[key].contains(record[key]));
  }

  flatten(value: T, out?: Float32Array, offset = 0): Float32Array {
    const target = flatTarget(out, offset, this.flatDim);
    let position = offset;
    for (const key of this.keys) {
      this.spaces[key].flatten(value[key], target, position);
      position += this.spaces[key].flatDim;
    }
    return target;
  }

  unflatten(flat: ArrayLike<number>, offset = 0): T {
    const out: Record<string, unknown> = {};
    let position = offset;
    for (const key of this.keys) {
      out[key] = this.spaces[key].unflatten(flat, position);
      position += this.spaces[key].flatDim;
    }
    return out as T;
  }

  toJSON(): SpaceJSON {
    const spaces: Record<string, SpaceJSON> = {};
    for (const key of this.keys) spaces[key] = this.spaces[key].toJSON();
    return { type: 'Dict', spaces };
  }

  toString(): string {
    return `Dict(${this.keys.map((k) => `${k}: ${this.spaces[k].toString()}`).join(', ')})`;
  }
}

/** An ordered list of sub-spaces (Gymnasium's `Tuple`). */
export class TupleSpace<T extends unknown[] = unknown[]> implements Space<T> {
  readonly type = 'Tuple' as const;
  readonly spaces: { readonly [K in keyof T]: Space<T[K]> };
  readonly flatDim: number;

  /** A Tuple space of the given sub-spaces. */
  constructor(spaces: { readonly [K in keyof T]: Space<T[K]> }) {
    this.spaces = spaces;
    (spaces as readonly unknown[]).forEach((s, i) => {
      assertSpace(s, `Tuple: entry [${i}]`);
    });
    this.flatDim = (spaces as readonly Space<unknown>[]).reduce((sum, s) => sum + s.flatDim, 0);
  }

  private get list(): readonly Space<unknown>[] {
    return this.spaces as readonly Space<unknown>[];
  }

  sample(rng: Rng): T {
    return this.list.map((s) => s.sample(rng)) as T;
  }

  contains(value: unknown): value is T {
    return Array.isArray(value) && value.length === this.list.length && this.list.every((s, i) => s.contains(value[i]));
  }

  flatten(value: T, out?: Float32Array, offset = 0): Float32Array {
    const target = flatTarget(out, offset, this.flatDim);
    let position = offset;
    this.list.forEach((s, i) => {
      s.flatten(value[i], target, position);
      position += s.flatDim;
    });
    return target;
  }

  unflatten(flat: ArrayLike<number>, offset = 0): T {
    let position = offset;
    return this.list.map((s) => {
      const v = s.unflatten(flat, position);
      position += s.flatDim;
      return v;
    }) as T;
  }

  toJSON(): SpaceJSON {
    return { type: 'Tuple', spaces: this.list.map((s) => s.toJSON()) };
  }

  toString(): string {
    return `Tuple(${this.list.map((s) => s.toString()).join(', ')})`;
  }
}
