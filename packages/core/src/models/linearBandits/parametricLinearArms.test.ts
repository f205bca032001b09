import { describe, expect, it } from 'vitest';
import { DataError } from '../../errors.js';
import { Rng } from '../../rng.js';
import { LinearArms } from './linearArms.js';
import { ParametricLinearArms } from './parametricLinearArms.js';

/** Rows of C candidates × E features, entries U(−1, 1). */
function randomItems(rng: Rng, rows: number, c: number, e: number): Float32Array {
  return Float32Array.from({ length: rows * c * e }, () => rng.uniform(-1, 1));
}

describe('ParametricLinearArms', () => {
  it("starts at RLlib's parametric prior λ = 0.1 and learns θ̂ = [10/7, 10/7] from one (x = [1, 1], r = 3)", () => {
    const model = new ParametricLinearArms({ numCandidates: 3, featureDim: 2 });
    expect([model.lambda, model.alpha, model.numCandidates, model.featureDim]).toEqual([0.1, 1, 3, 2]);
    // Row of candidates [1,0], [0,1], [1,1]; candidate 2 paid 3.
    model.update(Float32Array.of(1, 0, 0, 1, 1, 1), [2], [3]);
    const s = model.exportState();
    // A = 0.1·I + [[1,1],[1,1]] = [[1.1,1],[1,1.1]], b = [3,3], A⁻¹ = [[1.1,−1],[−1,1.1]]/0.21.
    expect(Array.from(s.precision)).toEqual([1.1, 1, 1, 1.1]);
    expect(Array.from(s.b)).toEqual([3, 3]);
    for (const [i, v] of [1.1, -1, -1, 1.1].entries()) expect(s.covariance[i]).toBeCloseTo(v / 0.21, 12);
    for (const v of s.theta) expect(v).toBeCloseTo(10 / 7, 12);
  });

  it('learns exactly what one LinearArms arm learns from the chosen candidates’ features', () => {
    const rng = new Rng('parametric/same-as-arm');
    const rows = 200;
    const items = randomItems(rng, rows, 4, 3);
    const chosen = Float32Array.from({ length: rows }, () => rng.int(4));
    const rewards = Float32Array.from({ length: rows }, () => rng.normal());
    const model = new ParametricLinearArms({ numCandidates: 4, featureDim: 3 });
    model.update(items, chosen, rewards);
    const arm = new LinearArms({ numArms: 1, featureDim: 3, lambda: 0.1 });
    for (let r = 0; r < rows; r++) {
      const start = (r * 4 + (chosen[r] as number)) * 3;
      arm.update(items.subarray(start, start + 3), [0], [rewards[r] as number]);
    }
    expect(model.exportState()).toEqual(arm.exportState());
  });

  it('scores each candidate by θ̂ᵀx + α√(xᵀA⁻¹x) (UCB) or θ̂ᵀx (greedy) and picks the best per row', () => {
    const rng = new Rng('parametric/ucb');
    const model = new ParametricLinearArms({ numCandidates: 5, featureDim: 3, alpha: 0.5 });
    model.update(
      randomItems(rng, 30, 5, 3),
      Float32Array.from({ length: 30 }, () => rng.int(5)),
      randomItems(rng, 30, 1, 1),
    );
    const arm = LinearArms.fromState(model.exportState());
    const rows = 40;
    const items = randomItems(rng, rows, 5, 3);
    const scores = new Float32Array(rows * 5);
    const greedyScores = new Float32Array(rows * 5);
    const ucb = model.selectUcb(items, rows, undefined, scores);
    const greedy = model.selectGreedy(items, rows, undefined, greedyScores);
    for (let r = 0; r < rows; r++) {
      const expected = [0, 1, 2, 3, 4].map((c) => arm.mean(0, items, (r * 5 + c) * 3) + arm.bonus(0, items, (r * 5 + c) * 3));
      expect(Array.from(scores.subarray(r * 5, r * 5 + 5))).toEqual(expected.map(Math.fround));
      expect(ucb[r]).toBe(expected.indexOf(Math.max(...expected)));
      const means = [0, 1, 2, 3, 4].map((c) => arm.mean(0, items, (r * 5 + c) * 3));
      expect(greedy[r]).toBe(means.indexOf(Math.max(...means)));
    }
  });

  it('draws one θ̃ per row for all its candidates: scores are linear in the features within a row and differ across rows', () => {
    const model = new ParametricLinearArms({ numCandidates: 3, featureDim: 2 });
    const rows = 50;
    // Every row: candidates x₀ = [1, 0], x₁ = [0, 1], x₂ = x₀ + x₁.
    const items = new Float64Array(rows * 6);
    for (let r = 0; r < rows; r++) items.set([1, 0, 0, 1, 1, 1], r * 6);
    const scores = new Float32Array(rows * 3);
    model.selectThompson(items, rows, new Rng('parametric/ts'), undefined, scores);
    const firstOfRows = new Set<number>();
    for (let r = 0; r < rows; r++) {
      const [s0, s1, s2] = [scores[r * 3], scores[r * 3 + 1], scores[r * 3 + 2]] as [number, number, number];
      expect(Math.abs(s2 - (s0 + s1))).toBeLessThan(1e-5 * (1 + Math.abs(s2)));
      firstOfRows.add(s0);
    }
    expect(firstOfRows.size).toBe(rows);
  });

  it('finds the best candidate of a linear preference far more often than chance', () => {
    const rng = new Rng('parametric/learning');
    const w = [0.8, -0.5, 0.3];
    const model = new ParametricLinearArms({ numCandidates: 10, featureDim: 3 });
    let regret = 0;
    let randomRegret = 0;
    const one = new Float32Array(1);
    for (let t = 0; t < 2000; t++) {
      const items = randomItems(rng, 1, 10, 3);
      const values = Array.from({ length: 10 }, (_, c) => w.reduce((s, wi, i) => s + wi * (items[c * 3 + i] as number), 0));
      const best = Math.max(...values);
      const c = model.selectUcb(items, 1, one)[0] as number;
      regret += best - (values[c] as number);
      randomRegret += best - (values[rng.int(10)] as number);
      model.update(items, [c], [(values[c] as number) + 0.1 * rng.normal()]);
    }
    expect(regret).toBeLessThan(0.05 * randomRegret);
  });

  it('names items of the wrong width, candidates out of range and bad rewards', () => {
    const model = new ParametricLinearArms({ numCandidates: 20, featureDim: 1 });
    expect(() => model.selectUcb(new Float32Array(19), 1)).toThrow(DataError);
    expect(() => model.selectUcb(new Float32Array(19), 1)).toThrow(
      'ParametricLinearArms.selectUcb: items has 19 values; expected rows × numCandidates × featureDim = 1 × 20 = 20',
    );
    expect(() => model.update(new Float32Array(20), [20], [1])).toThrow(
      'ParametricLinearArms.update: candidates[0] is 20; expected a candidate index, an integer in [0, 20)',
    );
    expect(() => model.update(new Float32Array(20), [3], [Number.NaN])).toThrow(/rewards\[0\] is NaN; expected a finite number/);
    expect(() => new ParametricLinearArms({ numCandidates: 0, featureDim: 1 })).toThrow(/numCandidates must be an integer >= 1, got 0/);
  });

  it('continues identically from its exported state', () => {
    const rng = new Rng('parametric/state');
    const model = new ParametricLinearArms({ numCandidates: 4, featureDim: 2, alpha: 0.3 });
    model.update(
      randomItems(rng, 20, 4, 2),
      Float32Array.from({ length: 20 }, () => rng.int(4)),
      randomItems(rng, 20, 1, 1),
    );
    const copy = ParametricLinearArms.fromState(structuredClone(model.exportState()), 4);
    const items = randomItems(rng, 30, 4, 2);
    expect(copy.selectThompson(items, 30, new Rng(3))).toEqual(model.selectThompson(items, 30, new Rng(3)));
    expect(copy.alpha).toBe(0.3);
  });
});
