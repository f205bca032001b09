import { describe, expect, it } from 'vitest';
import { createRng } from '../../rng.js';
import { maximizeSlate, maximizeSlateByEnumeration, orderedSlateCount, randomSlate, type SlateProblem, slateValue } from './maximize.js';

/** Every ordered slate of `size` distinct values out of 0…n−1, built independently of the code under test. */
function allSlates(n: number, size: number): number[][] {
  if (size === 0) return [[]];
  const out: number[][] = [];
  for (const rest of allSlates(n, size - 1)) for (let i = 0; i < n; i++) if (!rest.includes(i)) out.push([...rest, i]);
  return out;
}

/** V(A) written out from its definition. */
function bruteValue(weights: number[][], noClick: number, q: number[], slate: number[], noClickValue = 0): number {
  const w = slate.map((i, p) => (weights[p] as number[])[i] as number);
  const den = noClick + w.reduce((a, b) => a + b, 0);
  return (w.reduce((s, wi, p) => s + wi * (q[slate[p] as number] as number), 0) + noClick * noClickValue) / den;
}

function problemOf(weights: number[][], noClick: number, q: number[], positionDependent: boolean, noClickValue = 0): SlateProblem {
  const C = q.length;
  const flat = new Float64Array(weights.length * C);
  weights.forEach((row, p) => {
    flat.set(row, p * C);
  });
  return { numCandidates: C, slateSize: weights.length, weights: flat, noClickWeight: noClick, q, positionDependent, noClickValue };
}

describe('slate maximisation', () => {
  it('counts C!/(C−S)! ordered duplicate-free slates', () => {
    expect(orderedSlateCount(10, 2)).toBe(90);
    expect(orderedSlateCount(20, 2)).toBe(380);
    expect(orderedSlateCount(50, 2)).toBe(2450);
    expect(orderedSlateCount(5, 3)).toBe(allSlates(5, 3).length);
  });

  it('computes V(A) = Σ w·q / (w₀ + Σ w) on a hand-computed case', () => {
    // Candidates' weights 1, 2, 3; q = 10, −4, 6; no-click 2. Slate (2, 0): (3·6 + 1·10)/(2 + 3 + 1) = 28/6.
    const problem = problemOf([[1, 2, 3]], 2, [10, -4, 6], false);
    expect(slateValue({ ...problem, slateSize: 2 }, [2, 0])).toBeCloseTo(28 / 6, 12);
    const out = new Int32Array(2);
    const best = maximizeSlate({ ...problem, slateSize: 2 }, out);
    // Sets: {0,1}: 2/5, {0,2}: 28/6, {1,2}: 10/7 → {0, 2}.
    expect(best).toBeCloseTo(28 / 6, 12);
    expect([...out].sort()).toEqual([0, 2]);
  });

  it.each([
    [4, 1],
    [5, 2],
    [6, 3],
    [8, 2],
    [7, 4],
  ])('finds the brute-force optimum with position-independent weights (Dinkelbach), C = %i, S = %i', (C, S) => {
    const rng = createRng(C * 10 + S);
    const slates = allSlates(C, S);
    for (let trial = 0; trial < 200; trial++) {
      const w = Array.from({ length: C }, () => (rng.random() < 0.1 ? 0 : 3 * rng.random()));
      const q = Array.from({ length: C }, () => 10 * rng.normal());
      const noClick = 0.1 + 2 * rng.random();
      const noClickValue = trial % 2 === 0 ? 0 : 10 * rng.normal();
      const weights = Array.from({ length: S }, () => w);
      const brute = Math.max(...slates.map((s) => bruteValue(weights, noClick, q, s, noClickValue)));
      const out = new Int32Array(S);
      const problem = problemOf([w], noClick, q, false, noClickValue);
      const fast = maximizeSlate({ ...problem, slateSize: S }, out);
      expect(fast).toBeCloseTo(brute, 9);
      expect(new Set(out).size).toBe(S);
      expect(bruteValue(weights, noClick, q, [...out], noClickValue)).toBeCloseTo(brute, 9);
    }
  });

  it.each([
    [5, 2],
    [6, 3],
  ])('finds the brute-force optimum with position-dependent weights (enumeration), C = %i, S = %i', (C, S) => {
    const rng = createRng(99 + C);
    const slates = allSlates(C, S);
    for (let trial = 0; trial < 100; trial++) {
      const weights = Array.from({ length: S }, () => Array.from({ length: C }, () => Math.exp(rng.normal())));
      const q = Array.from({ length: C }, () => rng.normal());
      const noClick = Math.exp(rng.normal());
      const noClickValue = rng.normal();
      const values = slates.map((s) => bruteValue(weights, noClick, q, s, noClickValue));
      const brute = Math.max(...values);
      const out = new Int32Array(S);
      const found = maximizeSlate(problemOf(weights, noClick, q, true, noClickValue), out);
      expect(found).toBeCloseTo(brute, 12);
      // The first maximiser in enumeration order (position 0 outermost).
      expect([...out]).toEqual(slates.find((_, i) => Math.abs((values[i] as number) - brute) < 1e-12));
      expect(maximizeSlateByEnumeration(problemOf(weights, noClick, q, true, noClickValue), out)).toBeCloseTo(brute, 12);
    }
  });

  it('draws every ordered duplicate-free slate equally often', () => {
    const rng = createRng(3);
    const counts = new Map<string, number>();
    const out = new Int32Array(2);
    const draws = 24_000;
    for (let i = 0; i < draws; i++) {
      randomSlate(4, 2, rng, out);
      expect(out[0]).not.toBe(out[1]);
      const key = `${out[0]},${out[1]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(12);
    for (const n of counts.values()) expect(Math.abs(n / draws - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 12 / draws));
  });
});
