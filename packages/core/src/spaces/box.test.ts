import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { Rng } from '../rng.js';
import { Box, type BoxArray } from './box.js';
import { spaceFromJSON } from './serialize.js';
import type { BoxDtype } from './space.js';

function sampleMany(space: Box<BoxDtype>, n: number, seed: number | string = 1): BoxArray[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => space.sample(rng));
}

function meanAndVariance(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('Box construction', () => {
  it('takes the shape from array bounds and expands number bounds', () => {
    const box = new Box({ low: [-1, 0, 2], high: 5 });
    expect(box.shape).toEqual([3]);
    expect(box.flatDim).toBe(3);
    expect(box.dtype).toBe('float32');
    expect(Array.from(box.low)).toEqual([-1, 0, 2]);
    expect(Array.from(box.high)).toEqual([5, 5, 5]);
  });

  it('flattens a multi-dimensional shape to its number of entries', () => {
    const box = new Box({ low: 0, high: 1, shape: [2, 3] });
    expect(box.flatDim).toBe(6);
    expect(new Box({ low: 0, high: 1, shape: [] }).flatDim).toBe(1);
  });

  it('constructor errors name the bad value', () => {
    expect(() => new Box({ low: 0, high: 1 })).toThrow(/give a shape/);
    expect(() => new Box({ low: [0, 2], high: [1, 1] })).toThrow(/low\[1\] = 2 must be <= high\[1\] = 1/);
    expect(() => new Box({ low: [0, 0], high: [1, 1, 1] })).toThrow(/high has 3 entries, the shape needs 2/);
    expect(() => new Box({ low: 0, high: 1, shape: [2, -1] })).toThrow(/got \[2, -1\]/);
    expect(() => new Box({ low: 0, high: 1, shape: [1.5] })).toThrow(/got \[1\.5\]/);
    expect(() => new Box({ low: Number.NaN, high: 1, shape: [1] })).toThrow(/low\[0\] = NaN/);
    expect(() => new Box({ low: [0, 0.2], high: [1, 0.8], dtype: 'int32' })).toThrow(
      /entry 1 has no integer between low = 0.2 and high = 0.8/,
    );
  });

  it('isBounded is true only when every entry has two finite bounds', () => {
    expect(new Box({ low: -1, high: 1, shape: [2] }).isBounded()).toBe(true);
    expect(new Box({ low: [-1, -Infinity], high: 1 }).isBounded()).toBe(false);
    expect(new Box({ low: 0, high: [1, Infinity] }).isBounded()).toBe(false);
  });
});

describe('Box sampling', () => {
  it('samples uniformly inside finite bounds', () => {
    const box = new Box({ low: [-2, 10], high: [2, 11] });
    const samples = sampleMany(box, 20_000);
    expect(samples.every((x) => x instanceof Float32Array && box.contains(x))).toBe(true);
    const first = meanAndVariance(samples.map((x) => x[0] ?? Number.NaN));
    const second = meanAndVariance(samples.map((x) => x[1] ?? Number.NaN));
    // uniform(-2, 2): mean 0, variance 16/12; standard error of the mean ≈ 0.008
    expect(Math.abs(first.mean)).toBeLessThan(0.04);
    expect(Math.abs(first.variance - 16 / 12)).toBeLessThan(0.05);
    expect(Math.abs(second.mean - 10.5)).toBeLessThan(0.01);
  });

  it('samples low + Exp(1) where only the lower bound is finite', () => {
    const box = new Box({ low: 3, high: Infinity, shape: [1] });
    const values = sampleMany(box, 20_000).map((x) => x[0] ?? Number.NaN);
    expect(values.every((v) => v >= 3)).toBe(true);
    const { mean, variance } = meanAndVariance(values);
    expect(Math.abs(mean - 4)).toBeLessThan(0.04);
    expect(Math.abs(variance - 1)).toBeLessThan(0.1);
  });

  it('samples high − Exp(1) where only the upper bound is finite', () => {
    const box = new Box({ low: -Infinity, high: -1, shape: [1] });
    const values = sampleMany(box, 20_000).map((x) => x[0] ?? Number.NaN);
    expect(values.every((v) => v <= -1)).toBe(true);
    expect(Math.abs(meanAndVariance(values).mean - -2)).toBeLessThan(0.04);
  });

  it('samples a standard normal where both bounds are infinite', () => {
    const box = new Box({ low: -Infinity, high: Infinity, shape: [1], dtype: 'float64' });
    const samples = sampleMany(box, 20_000);
    expect(samples[0]).toBeInstanceOf(Float64Array);
    const { mean, variance } = meanAndVariance(samples.map((x) => x[0] ?? Number.NaN));
    expect(Math.abs(mean)).toBeLessThan(0.04);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('samples every integer of an int32 box, both bounds included, about equally often', () => {
    const box = new Box({ low: -1, high: 2, shape: [1], dtype: 'int32' });
    const counts = new Map<number, number>();
    for (const x of sampleMany(box, 8000)) {
      expect(x).toBeInstanceOf(Int32Array);
      counts.set(x[0] ?? Number.NaN, (counts.get(x[0] ?? Number.NaN) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-1, 0, 1, 2]);
    for (const c of counts.values()) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });

  it('int32 samples stay inside fractional and half-infinite bounds', () => {
    const boxes = [
      new Box({ low: 0.5, high: 2.5, shape: [1], dtype: 'int32' }),
      new Box({ low: 0.5, high: Infinity, shape: [1], dtype: 'int32' }),
      new Box({ low: -Infinity, high: -0.5, shape: [1], dtype: 'int32' }),
      new Box({ low: -Infinity, high: Infinity, shape: [3], dtype: 'int32' }),
    ];
    for (const box of boxes) {
      const samples = sampleMany(box, 2000, 'int');
      const outside = samples.filter((x) => !box.contains(x));
      expect(outside.length, box.toString()).toBe(0);
    }
    const fractional = sampleMany(boxes[0] as Box<BoxDtype>, 2000).map((x) => x[0]);
    expect(new Set(fractional)).toEqual(new Set([1, 2]));
  });

  it('samples are deterministic for a seed', () => {
    const box = new Box({ low: [-1, 0, -Infinity], high: [1, Infinity, Infinity] });
    expect(sampleMany(box, 10, 'same')).toEqual(sampleMany(box, 10, 'same'));
  });
});

describe('Box.contains', () => {
  const box = new Box({ low: [-1, 0], high: [1, 2] });

  it('accepts typed arrays and plain arrays inside the bounds, bounds included', () => {
    expect(box.contains(new Float32Array([-1, 2]))).toBe(true);
    expect(box.contains([0.5, 1.5])).toBe(true);
    expect(box.contains(new Float64Array([1, 0]))).toBe(true);
  });

  it('rejects wrong types, wrong lengths, out-of-bounds entries and NaN', () => {
    for (const bad of [
      0.5,
      'ab',
      null,
      undefined,
      { 0: 0, 1: 0, length: 2 },
      [0],
      [0, 0, 0],
      [-1.5, 0],
      [0, 2.01],
      [Number.NaN, 0],
      ['0', 0],
    ]) {
      expect(box.contains(bad), String(bad)).toBe(false);
    }
    expect(box.contains(new Float32Array([0, Number.NaN]))).toBe(false);
  });

  it('int32 boxes reject non-integers', () => {
    const ints = new Box({ low: 0, high: 5, shape: [2], dtype: 'int32' });
    expect(ints.contains([1, 2])).toBe(true);
    expect(ints.contains([1, 2.5])).toBe(false);
  });

  it('compares float32 boxes at float32 precision, so a stored bound is inside', () => {
    const f32 = new Box({ low: 0.1, high: 0.3, shape: [1] });
    expect(f32.contains(new Float32Array([0.1]))).toBe(true);
    expect(f32.contains(new Float32Array([0.3]))).toBe(true);
    expect(f32.contains([0.31])).toBe(false);
  });

  it('accepts any finite or infinite value in an unbounded box but not NaN', () => {
    const free = new Box({ low: -Infinity, high: Infinity, shape: [2] });
    expect(free.contains([1e30, -1e30])).toBe(true);
    expect(free.contains([Number.NaN, 0])).toBe(false);
  });
});

describe('Box flatten', () => {
  it('round-trips through flatten/unflatten keeping the dtype', () => {
    const box = new Box({ low: -10, high: 10, shape: [2, 2], dtype: 'float64' });
    const x = new Float64Array([0.5, -2, 3.25, 9]);
    const flat = box.flatten(x);
    expect(flat).toBeInstanceOf(Float32Array);
    expect(Array.from(flat)).toEqual([0.5, -2, 3.25, 9]);
    const back = box.unflatten(flat);
    expect(back).toBeInstanceOf(Float64Array);
    expect(back).toEqual(x);
    const ints = new Box({ low: 0, high: 9, shape: [3], dtype: 'int32' });
    expect(ints.unflatten(ints.flatten(Int32Array.from([1, 9, 0])))).toEqual(Int32Array.from([1, 9, 0]));
  });

  it('flattens at an offset and unflattens from it', () => {
    const box = new Box({ low: 0, high: 1, shape: [2] });
    const out = new Float32Array(5).fill(-1);
    box.flatten(new Float32Array([0.25, 0.75]), out, 2);
    expect(Array.from(out)).toEqual([-1, -1, 0.25, 0.75, -1]);
    expect(Array.from(box.unflatten(out, 2))).toEqual([0.25, 0.75]);
    expect(() => box.flatten(new Float32Array([0, 0]), out, 4)).toThrow(DataError);
  });
});

describe('Box serialization', () => {
  it('round-trips through JSON text to an equal space, including infinite bounds', () => {
    const boxes = [
      new Box({ low: [-Infinity, 0, -1], high: [Infinity, Infinity, 1] }),
      new Box({ low: -Infinity, high: Infinity, shape: [2, 2], dtype: 'float64' }),
      new Box({ low: -3, high: 4, shape: [1], dtype: 'int32' }),
      new Box({ low: 0, high: 1, shape: [] }),
    ];
    for (const box of boxes) {
      const text = JSON.stringify(box.toJSON());
      const rebuilt = spaceFromJSON(JSON.parse(text));
      expect(rebuilt).toBeInstanceOf(Box);
      expect(rebuilt, text).toStrictEqual(box);
    }
  });

  it('writes infinite bounds as null so the JSON text is valid', () => {
    const json = new Box({ low: [-Infinity, 0], high: [Infinity, 1] }).toJSON();
    expect(json).toEqual({ type: 'Box', low: [null, 0], high: [null, 1], shape: [2], dtype: 'float32' });
  });

  it('survives structured clone of its JSON', () => {
    const box = new Box({ low: [-Infinity, 2], high: [0, 3], dtype: 'float64' });
    expect(spaceFromJSON(structuredClone(box.toJSON()))).toStrictEqual(box);
  });

  it('renders a short form for error messages', () => {
    expect(new Box({ low: -1, high: 1, shape: [3] }).toString()).toBe('Box(-1, 1, (3,), float32)');
    expect(new Box({ low: [0, 1], high: 2, dtype: 'int32' }).toString()).toBe('Box([0, 1], 2, (2,), int32)');
  });
});
