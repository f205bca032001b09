import { describe, expect, it } from 'vitest';
import { betaCdf, betaQuantile, ctrCredibleInterval, logGamma } from './betaQuantile.js';

const QS = [0.001, 0.025, 0.1, 0.5, 0.9, 0.975, 0.999];

function binomialTail(n: number, k: number, x: number): number {
  // P(Bin(n, x) >= k), summed exactly.
  let sum = 0;
  let coefficient = 1;
  for (let j = 0; j <= n; j++) {
    if (j > 0) coefficient = (coefficient * (n - j + 1)) / j;
    if (j >= k) sum += coefficient * x ** j * (1 - x) ** (n - j);
  }
  return sum;
}

describe('Beta quantiles', () => {
  it('log-gamma matches factorials', () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      factorial *= n;
      expect(logGamma(n + 1)).toBeCloseTo(Math.log(factorial), 10);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('Beta(1, 1) is uniform', () => {
    for (const q of QS) expect(betaQuantile(q, 1, 1)).toBeCloseTo(q, 12);
  });

  it('Beta(a, 1) has quantile q^(1/a) and Beta(1, b) has 1 − (1 − q)^(1/b)', () => {
    for (const a of [0.5, 2, 7.5, 300]) for (const q of QS) expect(betaQuantile(q, a, 1)).toBeCloseTo(q ** (1 / a), 11);
    for (const b of [0.5, 3, 1000]) for (const q of QS) expect(betaQuantile(q, 1, b)).toBeCloseTo(1 - (1 - q) ** (1 / b), 11);
  });

  it('the CDF at integer shapes equals a binomial tail', () => {
    for (const [a, b] of [
      [2, 2],
      [3, 8],
      [12, 5],
      [30, 40],
    ] as const) {
      for (const x of [0.05, 0.3, 0.5, 0.77]) expect(betaCdf(x, a, b)).toBeCloseTo(binomialTail(a + b - 1, a, x), 12);
    }
  });

  it('quantiles invert the CDF and respect the mirror symmetry', () => {
    for (const [a, b] of [
      [0.3, 0.7],
      [5, 2],
      [928, 79_023],
    ] as const) {
      for (const q of QS) {
        const x = betaQuantile(q, a, b);
        expect(betaCdf(x, a, b)).toBeCloseTo(q, 9);
        expect(1 - betaQuantile(1 - q, b, a)).toBeCloseTo(x, 9);
      }
    }
  });

  it('the CTR interval at RecoGym-sized counts agrees with the normal approximation', () => {
    const { median, lower, upper } = ctrCredibleInterval(927, 79_949 - 927);
    const a = 928;
    const b = 79_949 - 927 + 1;
    const mean = a / (a + b);
    const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
    expect(median).toBeCloseTo((a - 1 / 3) / (a + b - 2 / 3), 6);
    expect(lower).toBeCloseTo(mean - 1.96 * sd, 4);
    expect(upper).toBeCloseTo(mean + 1.96 * sd, 4);
    expect(median).toBeCloseTo(0.0116, 4);
  });

  it('rejects bad shapes and probabilities', () => {
    expect(() => betaQuantile(0.5, 0, 1)).toThrow(/shape parameters must be finite and > 0, got a = 0/);
    expect(() => betaQuantile(1.5, 1, 1)).toThrow(/q must be in \[0, 1\], got 1.5/);
  });
});
