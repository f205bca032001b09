import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { Rng } from '../rng.js';
import { MultiDiscrete } from './multiDiscrete.js';
import { spaceFromJSON } from './serialize.js';

describe('MultiDiscrete', () => {
  it('samples Int32Arrays inside the space, reaching every value of every entry', () => {
    const space = new MultiDiscrete([2, 3, 1]);
    const rng = new Rng(2);
    const seen = [new Set<number>(), new Set<number>(), new Set<number>()];
    for (let i = 0; i < 300; i++) {
      const x = space.sample(rng);
      expect(x).toBeInstanceOf(Int32Array);
      expect(space.contains(x)).toBe(true);
      x.forEach((v, j) => {
        seen[j]?.add(v);
      });
    }
    expect(seen.map((s) => s.size)).toEqual([2, 3, 1]);
  });

  it('contains plain arrays and typed arrays of in-range integers', () => {
    const space = new MultiDiscrete([2, 3]);
    expect(space.contains([1, 2])).toBe(true);
    expect(space.contains(new Int32Array([0, 0]))).toBe(true);
    expect(space.contains(new Float32Array([1, 1]))).toBe(true);
  });

  it('rejects wrong types, wrong lengths, out-of-range, negative, non-integer and NaN entries', () => {
    const space = new MultiDiscrete([2, 3]);
    for (const bad of [
      1,
      'ab',
      null,
      { 0: 1, 1: 1, length: 2 },
      [1],
      [1, 2, 0],
      [2, 0],
      [0, 3],
      [-1, 0],
      [0, 1.5],
      [Number.NaN, 0],
      ['1', 0],
    ]) {
      expect(space.contains(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('flattens to concatenated one-hots and unflattens back', () => {
    const space = new MultiDiscrete([2, 3]);
    expect(space.flatDim).toBe(5);
    expect(Array.from(space.flatten(Int32Array.from([1, 0])))).toEqual([0, 1, 1, 0, 0]);
    const rng = new Rng(4);
    for (let i = 0; i < 20; i++) {
      const x = space.sample(rng);
      expect(space.unflatten(space.flatten(x))).toEqual(x);
    }
  });

  it('flattens at an offset without touching other slots', () => {
    const space = new MultiDiscrete([2, 2]);
    const out = new Float32Array(6).fill(7);
    space.flatten(Int32Array.from([0, 1]), out, 1);
    expect(Array.from(out)).toEqual([7, 1, 0, 0, 1, 7]);
    expect(Array.from(space.unflatten(out, 1))).toEqual([0, 1]);
  });

  it('refuses to flatten a value outside the space instead of writing into the next entry’s slots', () => {
    const space = new MultiDiscrete([2, 2]);
    const out = new Float32Array(4);
    expect(() => space.flatten(Int32Array.from([2, 0]), out)).toThrow(DataError);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it('round-trips through JSON text and spaceFromJSON', () => {
    const space = new MultiDiscrete([4, 1, 9]);
    const rebuilt = spaceFromJSON(JSON.parse(JSON.stringify(space.toJSON())));
    expect(rebuilt).toBeInstanceOf(MultiDiscrete);
    expect(rebuilt).toStrictEqual(space);
    expect(rebuilt.toString()).toBe('MultiDiscrete([4, 1, 9])');
  });

  it('copies nvec so later changes to the caller’s array do not change the space', () => {
    const nvec = [2, 2];
    const space = new MultiDiscrete(nvec);
    nvec[0] = 5;
    expect(space.nvec).toEqual([2, 2]);
  });

  it('constructor errors name the bad value', () => {
    expect(() => new MultiDiscrete([])).toThrow(/must not be empty/);
    expect(() => new MultiDiscrete([2, 0])).toThrow(/got 0/);
    expect(() => new MultiDiscrete([2, 1.5])).toThrow(/got 1\.5/);
  });
});
