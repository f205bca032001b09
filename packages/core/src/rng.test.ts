import { describe, expect, it } from 'vitest';
import { createRng, deriveIntSeed, deriveSeed, entropySeed, Rng } from './rng.js';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.random());
}

describe('Rng streams', () => {
  it('gives the same stream for the same seed, numeric or string', () => {
    expect(draws(new Rng(42), 50)).toEqual(draws(new Rng(42), 50));
    expect(draws(new Rng('abc'), 50)).toEqual(draws(new Rng('abc'), 50));
    // a number seed and its string form are the same seed
    expect(draws(new Rng(7), 10)).toEqual(draws(new Rng('7'), 10));
  });

  it('gives different streams for different seeds', () => {
    const a = draws(new Rng(1), 20);
    const b = draws(new Rng(2), 20);
    expect(a).not.toEqual(b);
    expect(a.filter((x, i) => x === b[i]).length).toBe(0);
  });

  it('draws uniform floats in [0, 1) and uniform(low, high) in [low, high)', () => {
    const rng = new Rng(3);
    let outside = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = rng.random();
      const y = rng.uniform(-2, 5);
      if (!(x >= 0 && x < 1) || !(y >= -2 && y < 5)) outside++;
    }
    expect(outside).toBe(0);
  });

  it('draws uint32 values that are non-negative 32-bit integers', () => {
    const rng = new Rng(4);
    let sawHighBit = false;
    for (let i = 0; i < 1000; i++) {
      const v = rng.uint32();
      expect(Number.isInteger(v)).toBe(true);
      expect(v >= 0 && v < 2 ** 32).toBe(true);
      if (v >= 2 ** 31) sawHighBit = true;
    }
    expect(sawHighBit).toBe(true);
  });
});

describe('derived streams', () => {
  it('joins the seed and path into a readable seed string', () => {
    expect(deriveSeed(123, 2, 0, 'explore')).toBe('123/2/0/explore');
    expect(deriveSeed('s')).toBe('s');
  });

  it('createRng(seed, ...path) is the stream of the derived seed', () => {
    expect(draws(createRng(5, 1, 'env'), 10)).toEqual(draws(new Rng('5/1/env'), 10));
  });

  it('gives different streams per worker, env index and purpose, and differs from the parent stream', () => {
    const streams = [createRng(9), createRng(9, 0), createRng(9, 1), createRng(9, 1, 0), createRng(9, 1, 1), createRng(9, 1, 1, 'x')];
    const firsts = streams.map((s) => draws(s, 5).join(','));
    expect(new Set(firsts).size).toBe(streams.length);
  });

  it('deriveIntSeed is deterministic, a uint32, and differs by path', () => {
    const a = deriveIntSeed(10, 'worker', 1);
    expect(deriveIntSeed(10, 'worker', 1)).toBe(a);
    expect(deriveIntSeed(10, 'worker', 2)).not.toBe(a);
    expect(deriveIntSeed(11, 'worker', 1)).not.toBe(a);
    expect(Number.isInteger(a) && a >= 0 && a < 2 ** 32).toBe(true);
  });

  it('entropySeed gives uint32 values that vary between calls', () => {
    const seeds = Array.from({ length: 8 }, () => entropySeed());
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });
});

describe('Rng state', () => {
  it('continues exactly from getState/fromState, including a cached normal draw', () => {
    const rng = new Rng('state');
    draws(rng, 17);
    rng.normal(); // leaves the second Box–Muller value cached
    const state = rng.getState();
    expect(state.spareNormal).not.toBeNull();
    const copy = Rng.fromState(state);
    const next = () => [rng.normal(), rng.random(), rng.int(1000), rng.normal(), rng.exponential(), rng.uint32()];
    const nextCopy = () => [copy.normal(), copy.random(), copy.int(1000), copy.normal(), copy.exponential(), copy.uint32()];
    for (let i = 0; i < 20; i++) expect(nextCopy()).toEqual(next());
  });

  it('survives JSON and structured clone', () => {
    const rng = new Rng(77);
    draws(rng, 5);
    const state = rng.getState();
    const viaJSON = Rng.fromState(JSON.parse(JSON.stringify(state)));
    const viaClone = Rng.fromState(structuredClone(state));
    const expected = draws(rng, 30);
    expect(draws(viaJSON, 30)).toEqual(expected);
    expect(draws(viaClone, 30)).toEqual(expected);
  });

  it('a restored stream is independent: drawing from it does not move the original', () => {
    const rng = new Rng(8);
    const state = rng.getState();
    const restored = Rng.fromState(state);
    draws(restored, 100);
    expect(draws(rng, 5)).toEqual(draws(Rng.fromState(state), 5));
  });
});

describe('Rng distributions', () => {
  it('normal() has mean ≈ 0, variance ≈ 1 and the normal shape over 1e5 draws', () => {
    const rng = new Rng('normal');
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let sumFourth = 0;
    let withinOne = 0;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      values[i] = x;
      sum += x;
      if (Math.abs(x) < 1) withinOne++;
    }
    const mean = sum / n;
    for (const x of values) {
      sumSq += (x - mean) ** 2;
      sumFourth += (x - mean) ** 4;
    }
    const variance = sumSq / (n - 1);
    const kurtosis = sumFourth / n / variance ** 2;
    // standard errors: mean 1/sqrt(n) ≈ 0.0032, variance sqrt(2/n) ≈ 0.0045, P(|x|<1) ≈ 0.0015; bounds are ~4.5σ
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(Math.abs(withinOne / n - 0.682_689)).toBeLessThan(0.007);
    expect(Math.abs(kurtosis - 3)).toBeLessThan(0.1);
  });

  it('normal() pairs from one Box–Muller step are uncorrelated', () => {
    const rng = new Rng('pairs');
    const n = 50_000;
    let cross = 0;
    for (let i = 0; i < n; i++) cross += rng.normal() * rng.normal();
    // the mean of a product of independent standard normals has standard error 1/sqrt(n) ≈ 0.0045
    expect(Math.abs(cross / n)).toBeLessThan(0.02);
  });

  it('exponential() has mean ≈ 1 and is positive', () => {
    const rng = new Rng('exp');
    const n = 100_000;
    let sum = 0;
    let negative = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.exponential();
      if (!(x >= 0)) negative++;
      sum += x;
    }
    expect(negative).toBe(0);
    // standard error 1/sqrt(n) ≈ 0.0032
    expect(Math.abs(sum / n - 1)).toBeLessThan(0.015);
  });

  it('int(n) stays in [0, n) and is uniform by a chi-square test', () => {
    const rng = new Rng('int');
    const k = 10;
    const n = 100_000;
    const counts = new Array<number>(k).fill(0);
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.int(k);
      if (!(Number.isInteger(v) && v >= 0 && v < k)) outside++;
      counts[v] = (counts[v] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    const expected = n / k;
    const chiSquare = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: P(chi2 > 27.9) = 0.001
    expect(chiSquare).toBeLessThan(27.9);
  });

  it('int(1) is always 0', () => {
    const rng = new Rng(0);
    for (let i = 0; i < 100; i++) expect(rng.int(1)).toBe(0);
  });
});

describe('Rng.shuffle', () => {
  it('returns the same array, holding a permutation of its elements', () => {
    const rng = new Rng('shuffle');
    const array = Array.from({ length: 50 }, (_, i) => i);
    const result = rng.shuffle(array);
    expect(result).toBe(array);
    expect([...result].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(result).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('shuffles typed arrays in place', () => {
    const typed = Int32Array.from({ length: 20 }, (_, i) => i);
    new Rng(1).shuffle(typed);
    expect(Array.from(typed).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('is deterministic for a seed', () => {
    const a = new Rng(5).shuffle(Array.from({ length: 30 }, (_, i) => i));
    const b = new Rng(5).shuffle(Array.from({ length: 30 }, (_, i) => i));
    expect(a).toEqual(b);
  });

  it('handles empty and one-element arrays', () => {
    expect(new Rng(1).shuffle([])).toEqual([]);
    expect(new Rng(1).shuffle(['x'])).toEqual(['x']);
  });

  it('draws each of the 6 orders of 3 elements about equally often', () => {
    const rng = new Rng('orders');
    const counts = new Map<string, number>();
    const n = 60_000;
    for (let i = 0; i < n; i++) {
      const key = rng.shuffle(['a', 'b', 'c']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const expected = n / 6;
    const chiSquare = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 5 degrees of freedom: P(chi2 > 20.5) = 0.001
    expect(chiSquare).toBeLessThan(20.5);
  });
});
