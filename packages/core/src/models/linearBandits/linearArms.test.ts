import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../errors.js';
import { Rng } from '../../rng.js';
import { LinearArms } from './linearArms.js';

/** The inverse of a d×d row-major matrix by Gauss–Jordan elimination with partial pivoting (the direct solve to compare with). */
function invert(matrix: ArrayLike<number>, d: number): Float64Array {
  const a = Array.from({ length: d }, (_, i) => [
    ...Array.from({ length: d }, (_, j) => matrix[i * d + j] as number),
    ...Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)),
  ]);
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r]?.[col] as number) > Math.abs(a[pivot]?.[col] as number)) pivot = r;
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const p = a[col] as number[];
    const scale = p[col] as number;
    for (let j = 0; j < 2 * d; j++) p[j] = (p[j] as number) / scale;
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const row = a[r] as number[];
      const factor = row[col] as number;
      for (let j = 0; j < 2 * d; j++) row[j] = (row[j] as number) - factor * (p[j] as number);
    }
  }
  return Float64Array.from(a.flatMap((row) => row.slice(d)));
}

function matVec(m: ArrayLike<number>, v: ArrayLike<number>, d: number): number[] {
  return Array.from({ length: d }, (_, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (m[i * d + j] as number) * (v[j] as number);
    return s;
  });
}

function block(values: Float64Array, arm: number, size: number): number[] {
  return Array.from(values.subarray(arm * size, (arm + 1) * size));
}

function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

/** Random seeded contexts [rows × d] with entries N(0, scale²). */
function randomContexts(rng: Rng, rows: number, d: number, scale = 1): Float64Array {
  return Float64Array.from({ length: rows * d }, () => scale * rng.normal());
}

describe('LinearArms: ridge statistics', () => {
  it('starts every arm at the prior A = λI, A⁻¹ = I/λ, b = θ̂ = 0 (λ = 1 by default, 0.1 as an option)', () => {
    for (const lambda of [undefined, 0.1]) {
      const state = new LinearArms({ numArms: 2, featureDim: 2, lambda }).exportState();
      const l = lambda ?? 1;
      expect(state.lambda).toBe(l);
      expect(state.alpha).toBe(1);
      expect(Array.from(state.precision)).toEqual([l, 0, 0, l, l, 0, 0, l]);
      expect(Array.from(state.covariance)).toEqual([1 / l, 0, 0, 1 / l, 1 / l, 0, 0, 1 / l]);
      expect(Array.from(state.b)).toEqual([0, 0, 0, 0]);
      expect(Array.from(state.theta)).toEqual([0, 0, 0, 0]);
    }
  });

  it('after (x, r) = ([1,0], 2), ([0,1], −1), ([1,1], 3) on arm 1 holds the hand-computed A, b, A⁻¹ and θ̂', () => {
    const arms = new LinearArms({ numArms: 2, featureDim: 2 });
    arms.update(Float32Array.of(1, 0, 0, 1, 1, 1), Float32Array.of(1, 1, 1), Float32Array.of(2, -1, 3));
    const s = arms.exportState();
    // A = I + [[1,0],[0,0]] + [[0,0],[0,1]] + [[1,1],[1,1]] = [[3,1],[1,3]]; b = [5, 2];
    // A⁻¹ = [[3,−1],[−1,3]]/8; θ̂ = A⁻¹b = [13, 1]/8.
    expect(block(s.precision, 1, 4)).toEqual([3, 1, 1, 3]);
    expect(block(s.b, 1, 2)).toEqual([5, 2]);
    expectAllClose(block(s.covariance, 1, 4), [3 / 8, -1 / 8, -1 / 8, 3 / 8], 1e-15);
    expectAllClose(block(s.theta, 1, 2), [13 / 8, 1 / 8], 1e-15);
    // Arm 0 was never pulled and stays at its prior.
    expect(block(s.precision, 0, 4)).toEqual([1, 0, 0, 1]);
    expect(block(s.theta, 0, 2)).toEqual([0, 0]);
  });

  it('with λ = 0.1 the same updates give A = [[2.1,1],[1,2.1]] and θ̂ = [8.5, −0.8]/3.41', () => {
    const arms = new LinearArms({ numArms: 1, featureDim: 2, lambda: 0.1 });
    arms.update(Float64Array.of(1, 0, 0, 1, 1, 1), [0, 0, 0], [2, -1, 3]);
    const s = arms.exportState();
    expectAllClose(s.precision, [2.1, 1, 1, 2.1], 1e-15);
    expectAllClose(s.covariance, [2.1 / 3.41, -1 / 3.41, -1 / 3.41, 2.1 / 3.41], 1e-14);
    expectAllClose(s.theta, [8.5 / 3.41, -0.8 / 3.41], 1e-14);
  });

  it('keeps A⁻¹ and θ̂ equal to a direct inverse and solve over 5000 Sherman–Morrison updates (d = 8, 4 arms)', () => {
    const d = 8;
    const numArms = 4;
    const rows = 5000;
    const rng = new Rng('linear-arms/direct-solve');
    const contexts = randomContexts(rng, rows, d, 1 / 3);
    const chosen = Float32Array.from({ length: rows }, () => rng.int(numArms));
    const rewards = Float64Array.from({ length: rows }, () => rng.normal());
    const arms = new LinearArms({ numArms, featureDim: d });
    // Half in one batch, the rest one row at a time: batching must not change the arithmetic.
    arms.update(contexts.subarray(0, 2500 * d), chosen.subarray(0, 2500), rewards.subarray(0, 2500));
    for (let r = 2500; r < rows; r++) arms.update(contexts.subarray(r * d, (r + 1) * d), [chosen[r] as number], [rewards[r] as number]);
    const s = arms.exportState();
    for (let a = 0; a < numArms; a++) {
      const precision = new Float64Array(d * d);
      const b = new Float64Array(d);
      for (let i = 0; i < d; i++) precision[i * d + i] = 1;
      for (let r = 0; r < rows; r++) {
        if (chosen[r] !== a) continue;
        for (let i = 0; i < d; i++) {
          b[i] = (b[i] as number) + (rewards[r] as number) * (contexts[r * d + i] as number);
          for (let j = 0; j < d; j++)
            precision[i * d + j] = (precision[i * d + j] as number) + (contexts[r * d + i] as number) * (contexts[r * d + j] as number);
        }
      }
      expectAllClose(block(s.precision, a, d * d), precision, 1e-9);
      expectAllClose(block(s.b, a, d), b, 1e-10);
      const inverse = invert(precision, d);
      expectAllClose(block(s.covariance, a, d * d), inverse, 1e-12);
      expectAllClose(block(s.theta, a, d), matVec(inverse, b, d), 1e-11);
      // A⁻¹ stays exactly symmetric.
      const cov = block(s.covariance, a, d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) expect(cov[i * d + j]).toBe(cov[j * d + i]);
    }
  });
});

describe('LinearArms: acting', () => {
  function trainedArms(alpha: number, numArms = 3, d = 4): { arms: LinearArms; rng: Rng } {
    const rng = new Rng(`linear-arms/trained/${alpha}`);
    const arms = new LinearArms({ numArms, featureDim: d, alpha });
    const rows = 60;
    arms.update(
      randomContexts(rng, rows, d),
      Float32Array.from({ length: rows }, () => rng.int(numArms)),
      Float32Array.from({ length: rows }, () => rng.normal()),
    );
    return { arms, rng };
  }

  it.each([0.5, 1, 2])('computes the UCB bonus α√(xᵀA⁻¹x) with α = %s, as a direct inverse gives it', (alpha) => {
    const { arms, rng } = trainedArms(alpha);
    const s = arms.exportState();
    const d = 4;
    const x = randomContexts(rng, 1, d);
    for (let a = 0; a < 3; a++) {
      const inverse = invert(block(s.precision, a, d * d), d);
      const quad = matVec(inverse, x, d).reduce((sum, v, i) => sum + v * (x[i] as number), 0);
      expect(arms.bonus(a, x)).toBeCloseTo(alpha * Math.sqrt(quad), 12);
      const theta = matVec(inverse, block(s.b, a, d), d);
      expect(arms.mean(a, x)).toBeCloseTo(
        theta.reduce((sum, v, i) => sum + v * (x[i] as number), 0),
        12,
      );
    }
  });

  it('selects, per row, the arm with the highest mean + bonus, and writes every score when asked', () => {
    const { arms, rng } = trainedArms(1);
    const rows = 50;
    const contexts = Float32Array.from(randomContexts(rng, rows, 4));
    const scores = new Float32Array(rows * 3);
    const out = arms.selectUcb(contexts, rows, new Float32Array(rows), scores);
    const greedy = arms.selectGreedy(contexts, rows);
    let differs = 0;
    for (let r = 0; r < rows; r++) {
      const ucb = [0, 1, 2].map((a) => arms.mean(a, contexts, r * 4) + arms.bonus(a, contexts, r * 4));
      expect(out[r]).toBe(ucb.indexOf(Math.max(...ucb)));
      expectAllClose(scores.subarray(r * 3, r * 3 + 3), ucb.map(Math.fround), 0);
      const means = [0, 1, 2].map((a) => arms.mean(a, contexts, r * 4));
      expect(greedy[r]).toBe(means.indexOf(Math.max(...means)));
      if (greedy[r] !== out[r]) differs += 1;
    }
    expect(differs).toBeGreaterThan(0);
    // Float64 contexts act the same.
    expect(arms.selectUcb(Float64Array.from(contexts), rows)).toEqual(out);
  });

  it('picks the first arm on a tie, e.g. every arm at the prior', () => {
    const arms = new LinearArms({ numArms: 4, featureDim: 3 });
    expect(Array.from(arms.selectUcb(Float32Array.of(1, 2, 3, -1, 0, 0), 2))).toEqual([0, 0]);
  });

  it('draws Thompson samples θ̃ whose mean and covariance match N(θ̂, α²A⁻¹) (40 000 draws, 5 standard errors)', () => {
    const alpha = 2; // α² = 4 is far from α = 2: the test tells the two scalings apart.
    const { arms } = trainedArms(alpha, 1, 3);
    const s = arms.exportState();
    const d = 3;
    const n = 40_000;
    const rng = new Rng('linear-arms/thompson');
    const sum = new Float64Array(d);
    const cross = new Float64Array(d * d);
    const draw = new Float64Array(d);
    for (let k = 0; k < n; k++) {
      arms.sampleTheta(0, rng, draw);
      for (let i = 0; i < d; i++) {
        sum[i] = (sum[i] as number) + (draw[i] as number);
        for (let j = 0; j < d; j++) cross[i * d + j] = (cross[i * d + j] as number) + (draw[i] as number) * (draw[j] as number);
      }
    }
    const cov = (i: number, j: number): number => alpha * alpha * (s.covariance[i * d + j] as number);
    for (let i = 0; i < d; i++) {
      const mean = (sum[i] as number) / n;
      expect(Math.abs(mean - (s.theta[i] as number))).toBeLessThan(5 * Math.sqrt(cov(i, i) / n));
      for (let j = 0; j < d; j++) {
        const sampleCov = (cross[i * d + j] as number) / n - mean * ((sum[j] as number) / n);
        // Standard error of a sample covariance of normals: √((σᵢᵢσⱼⱼ + σᵢⱼ²)/n).
        expect(Math.abs(sampleCov - cov(i, j))).toBeLessThan(5 * Math.sqrt((cov(i, i) * cov(j, j) + cov(i, j) ** 2) / n));
      }
    }
  });

  it('scores each row and arm with its own Thompson draw: θ̂ᵀx on average, with variance α²xᵀA⁻¹x', () => {
    const alpha = 0.5;
    const { arms } = trainedArms(alpha, 2, 4);
    const rows = 20_000;
    const x = Float32Array.of(0.3, -1, 0.5, 2);
    const contexts = new Float32Array(rows * 4);
    for (let r = 0; r < rows; r++) contexts.set(x, r * 4);
    const scores = new Float32Array(rows * 2);
    const actions = arms.selectThompson(contexts, rows, new Rng('linear-arms/ts-scores'), undefined, scores);
    for (let a = 0; a < 2; a++) {
      const values = Array.from({ length: rows }, (_, r) => scores[r * 2 + a] as number);
      const mean = values.reduce((p, v) => p + v, 0) / rows;
      const variance = values.reduce((p, v) => p + (v - mean) ** 2, 0) / rows;
      const expectedVariance = (arms.bonus(a, x) / 1) ** 2; // bonus² = α²xᵀA⁻¹x
      expect(Math.abs(mean - arms.mean(a, x))).toBeLessThan(5 * Math.sqrt(expectedVariance / rows));
      expect(Math.abs(variance / expectedVariance - 1)).toBeLessThan(5 * Math.sqrt(2 / rows));
    }
    for (let r = 0; r < rows; r++) expect(actions[r]).toBe((scores[r * 2 + 1] as number) > (scores[r * 2] as number) ? 1 : 0);
  });
});

describe('LinearArms: state', () => {
  it('exports copies that survive structured clone and continue identically in a model built from them', () => {
    const rng = new Rng('linear-arms/state');
    const arms = new LinearArms({ numArms: 3, featureDim: 5, lambda: 0.1, alpha: 0.7 });
    arms.update(
      randomContexts(rng, 40, 5),
      Float32Array.from({ length: 40 }, (_, i) => i % 3),
      randomContexts(rng, 40, 1),
    );
    const state = structuredClone(arms.exportState());
    const copy = LinearArms.fromState(state);
    expect([copy.numArms, copy.featureDim, copy.lambda, copy.alpha]).toEqual([3, 5, 0.1, 0.7]);
    state.theta.fill(99); // the model keeps its own arrays
    const contexts = Float32Array.from(randomContexts(rng, 30, 5));
    expect(copy.selectThompson(contexts, 30, new Rng(1))).toEqual(arms.selectThompson(contexts, 30, new Rng(1)));
    expect(copy.selectUcb(contexts, 30)).toEqual(arms.selectUcb(contexts, 30));
    const next = randomContexts(rng, 10, 5);
    for (const model of [arms, copy]) model.update(next, [0, 1, 2, 0, 1, 2, 0, 1, 2, 0], new Float64Array(10).fill(1));
    expect(copy.exportState()).toEqual(arms.exportState());
  });

  it('refuses a state of another size or with non-finite entries, naming the difference', () => {
    const arms = new LinearArms({ numArms: 2, featureDim: 3 });
    const other = new LinearArms({ numArms: 3, featureDim: 3 }).exportState();
    expect(() => arms.importState(other)).toThrow(DataError);
    expect(() => arms.importState(other)).toThrow(/the state is for 3 arms × 3 features; this model has 2 × 3/);
    const state = arms.exportState();
    state.covariance[4] = Number.NaN;
    expect(() => arms.importState(state)).toThrow(/covariance\[4\] \(row 0, entry 4\) is NaN/);
    expect(() => arms.importState({ ...arms.exportState(), b: new Float64Array(5) })).toThrow(
      /b has 5 values; expected rows × featureDim = 2 × 3 = 6/,
    );
  });
});

describe('LinearArms: bad input', () => {
  const arms = new LinearArms({ numArms: 4, featureDim: 8 });

  it('names a context of the wrong width', () => {
    expect(() => arms.selectUcb(new Float32Array(15), 2)).toThrow(DataError);
    expect(() => arms.selectUcb(new Float32Array(15), 2)).toThrow(
      'LinearArms.selectUcb: contexts has 15 values; expected rows × featureDim = 2 × 8 = 16',
    );
    expect(() => arms.update(new Float32Array(7), [0], [1])).toThrow(
      /LinearArms\.update: contexts has 7 values; expected rows × featureDim = 1 × 8 = 8/,
    );
    expect(() => arms.bonus(0, new Float32Array(4))).toThrow(/offset 0 leaves no room for a context of 8 values in 4/);
    expect(() => arms.selectGreedy([1, 2] as never, 1)).toThrow(/contexts must be a Float32Array or Float64Array, got \[1,2\]/);
  });

  it('names an arm out of range', () => {
    expect(() => arms.update(new Float32Array(16), Float32Array.of(1, 4), [0, 0])).toThrow(
      'LinearArms.update: arms[1] is 4; expected an arm index, an integer in [0, 4)',
    );
    expect(() => arms.update(new Float32Array(8), [0.5], [0])).toThrow(/arms\[0\] is 0\.5/);
    expect(() => arms.mean(-1, new Float32Array(8))).toThrow(/arm is -1; expected an arm index, an integer in \[0, 4\)/);
    expect(() => arms.sampleTheta(9, new Rng(0))).toThrow(DataError);
  });

  it('names a NaN reward or context and leaves the model unchanged', () => {
    const before = arms.exportState();
    expect(() => arms.update(new Float32Array(16), [0, 1], Float32Array.of(1, Number.NaN))).toThrow(
      'LinearArms.update: rewards[1] is NaN; expected a finite number',
    );
    const contexts = new Float32Array(16);
    contexts[11] = Number.POSITIVE_INFINITY;
    expect(() => arms.update(contexts, [0, 1], [1, 1])).toThrow(/contexts\[11\] \(row 1, entry 3\) is Infinity; contexts must be finite/);
    expect(() => arms.selectThompson(contexts, 2, new Rng(0))).toThrow(DataError);
    expect(() => arms.update(new Float32Array(16), [0, 1], [1])).toThrow(/rewards has 1 entries; expected one per row \(2\)/);
    expect(arms.exportState()).toEqual(before);
  });

  it('names bad options and bad output arrays', () => {
    expect(() => new LinearArms({ numArms: 0, featureDim: 2 })).toThrow(ConfigError);
    expect(() => new LinearArms({ numArms: 0, featureDim: 2 })).toThrow('LinearArms: numArms must be an integer >= 1, got 0');
    expect(() => new LinearArms({ numArms: 2, featureDim: 2, lambda: 0 })).toThrow('LinearArms: lambda must be a finite number > 0, got 0');
    expect(() => new LinearArms({ numArms: 2, featureDim: 2, alpha: Number.NaN })).toThrow(/alpha must be a finite number >= 0, got NaN/);
    expect(() => arms.selectUcb(new Float32Array(16), 2, new Float32Array(3))).toThrow(/out must be a Float32Array of 2 entries/);
    expect(() => arms.selectUcb(new Float32Array(16), 2, undefined, new Float32Array(2))).toThrow(
      /scores must be a Float32Array of 8 entries/,
    );
    expect(() => arms.selectUcb(new Float32Array(16), -1)).toThrow(/rows must be an integer >= 0, got -1/);
  });
});
