import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { Rng } from '../rng.js';
import { Discrete } from './discrete.js';
import { spaceFromJSON } from './serialize.js';

describe('Discrete', () => {
  it('samples only its elements and reaches every one of them', () => {
    const space = new Discrete(4, -1);
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const x = space.sample(rng);
      expect(space.contains(x)).toBe(true);
      seen.add(x);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-1, 0, 1, 2]);
  });

  it('samples the same values for the same seed', () => {
    const space = new Discrete(10);
    const a = Array.from(
      { length: 20 },
      (
        (rng) => () =>
          space.sample(rng)
      )(new Rng(3)),
    );
    const b = Array.from(
      { length: 20 },
      (
        (rng) => () =>
          space.sample(rng)
      )(new Rng(3)),
    );
    expect(a).toEqual(b);
  });

  it('contains start..start+n-1 and rejects values outside, non-integers, NaN and non-numbers', () => {
    const space = new Discrete(3, 5);
    expect([5, 6, 7].every((v) => space.contains(v))).toBe(true);
    for (const bad of [4, 8, 5.5, Number.NaN, Infinity, '5', null, undefined, [5], new Int32Array([5]), true]) {
      expect(space.contains(bad), String(bad)).toBe(false);
    }
  });

  it('flattens to a one-hot vector and unflattens back', () => {
    const space = new Discrete(4, 2);
    expect(space.flatDim).toBe(4);
    expect(Array.from(space.flatten(3))).toEqual([0, 1, 0, 0]);
    for (let v = 2; v < 6; v++) expect(space.unflatten(space.flatten(v))).toBe(v);
  });

  it('flattens at an offset into a shared buffer, overwriting only its own slots', () => {
    const space = new Discrete(3);
    const out = new Float32Array(7).fill(9);
    space.flatten(0, out, 2);
    expect(Array.from(out)).toEqual([9, 9, 1, 0, 0, 9, 9]);
    expect(space.unflatten(out, 2)).toBe(0);
  });

  it('refuses to flatten into a buffer that is too short', () => {
    expect(() => new Discrete(3).flatten(0, new Float32Array(4), 2)).toThrow(/needs 3 numbers at offset 2.*length 4/);
  });

  it('refuses to flatten a value outside the space instead of writing into a neighbour’s slots', () => {
    const space = new Discrete(2);
    const out = new Float32Array(4);
    expect(() => space.flatten(2, out, 0)).toThrow(DataError);
    expect(() => space.flatten(-1, out, 2)).toThrow(/-1/);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it('unflatten throws when there is no one-hot entry', () => {
    expect(() => new Discrete(3).unflatten([0, 0, 0])).toThrow(/Discrete\(3\).*offset 0/);
  });

  it('round-trips through toJSON, JSON text and spaceFromJSON', () => {
    for (const space of [new Discrete(2), new Discrete(7, -3)]) {
      const rebuilt = spaceFromJSON(JSON.parse(JSON.stringify(space.toJSON())));
      expect(rebuilt).toBeInstanceOf(Discrete);
      expect(rebuilt).toStrictEqual(space);
    }
  });

  it('renders a short form for error messages', () => {
    expect(new Discrete(2).toString()).toBe('Discrete(2)');
    expect(new Discrete(3, 1).toString()).toBe('Discrete(3, start=1)');
  });

  it('constructor errors name the bad value', () => {
    expect(() => new Discrete(0)).toThrow(/n must be an integer >= 1, got 0/);
    expect(() => new Discrete(2.5)).toThrow(/got 2\.5/);
    expect(() => new Discrete(Number.NaN)).toThrow(/got NaN/);
    expect(() => new Discrete(2, 0.5)).toThrow(/start must be an integer, got 0\.5/);
  });
});
