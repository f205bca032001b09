import type { Rng } from '@loomrl/core';
import { expect } from 'vitest';

/**
 * Asserts |actual − expected| < tolerance · max(1, |expected|) elementwise (the engine-agreement
 * tests' bound, 1e-5 unless given), naming the worst element when it fails.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance = 1e-5): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const b = expected[i] as number;
    const error = Math.abs((actual[i] as number) - b) / Math.max(1, Math.abs(b));
    if (Number.isNaN(error)) {
      [worst, at] = [error, i];
      break;
    }
    if (error > worst) [worst, at] = [error, i];
  }
  expect(worst, `${what}[${at}]: ${actual[at]} against ${expected[at]}`).toBeLessThan(tolerance);
}

/** `n` standard normals from `rng`, times `scale`. */
export function normals(n: number, rng: Rng, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}
