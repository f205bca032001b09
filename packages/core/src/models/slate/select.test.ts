import { describe, expect, it } from 'vitest';
import { createRng } from '../../rng.js';
import { maximizeSlate, type SlateProblem, slateValue } from './maximize.js';
import { selectSlate } from './select.js';

function problemOf(weights: number[], noClick: number, q: number[], slateSize: number, noClickValue = 0): SlateProblem {
  return {
    numCandidates: q.length,
    slateSize,
    weights: Float64Array.from(weights),
    noClickWeight: noClick,
    q,
    positionDependent: false,
    noClickValue,
  };
}

describe("RecSim SlateDecompQ's slate selections", () => {
  // Weights 2, 1.2, 0; Q 10, 2, 1; no-click weight 2. Sets: {0,1}: 22.4/5.2, {0,2}: 20/4 = 5, {1,2}: 2.4/3.2.
  const problem = problemOf([2, 1.2, 0], 2, [10, 2, 1], 2);

  it('top-K takes the S largest weight × Q, ignoring the no-click term', () => {
    const out = new Int32Array(2);
    expect(selectSlate(problem, 'topK', out)).toBeCloseTo(22.4 / 5.2, 12);
    expect(Array.from(out)).toEqual([0, 1]);
  });

  it('adaptive greedy adds the candidate that raises the slate value most, round by round', () => {
    const out = new Int32Array(2);
    // Round 1: candidate 0 gives 20/4 = 5 (1: 2.4/3.2, 2: 0/2); round 2: candidate 2 keeps 5, candidate 1 would give 4.31.
    expect(selectSlate(problem, 'greedy', out)).toBeCloseTo(5, 12);
    expect(Array.from(out)).toEqual([0, 2]);
    // With a no-click value of 6 every extra click weight dilutes it: greedy still adds S items.
    const valued = problemOf([2, 1.2, 0], 2, [10, 2, 1], 2, 6);
    expect(selectSlate(valued, 'greedy', out)).toBeCloseTo(slateValue(valued, out), 12);
  });

  it('optimal is the exact maximiser; greedy and top-K never beat it, and all agree for one item without no-click value', () => {
    const rng = createRng(11);
    const out = new Int32Array(3);
    let greedyBelow = 0;
    let topKBelow = 0;
    for (let trial = 0; trial < 300; trial++) {
      const C = 6;
      const S = 1 + (trial % 3);
      const p = problemOf(
        Array.from({ length: C }, () => 3 * rng.random()),
        0.1 + 2 * rng.random(),
        Array.from({ length: C }, () => 10 * rng.normal()),
        S,
        trial % 2 === 0 ? 0 : 5 * rng.normal(),
      );
      const best = maximizeSlate(p, new Int32Array(S));
      expect(selectSlate(p, 'optimal', out)).toBe(best);
      const greedy = selectSlate(p, 'greedy', out);
      const topK = selectSlate(p, 'topK', out);
      expect(greedy).toBeLessThanOrEqual(best + 1e-9);
      expect(topK).toBeLessThanOrEqual(best + 1e-9);
      if (S === 1) expect(greedy).toBeCloseTo(best, 9);
      if (greedy < best - 1e-9) greedyBelow++;
      if (topK < best - 1e-9) topKBelow++;
    }
    // The heuristics are not the optimum in general (top-K more often than greedy).
    expect(topKBelow).toBeGreaterThan(greedyBelow);
  });
});
