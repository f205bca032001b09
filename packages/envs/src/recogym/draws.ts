import type { Rng } from '@loomrl/core';

/** The logistic function 1 / (1 + e^−x). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** RecoGym-v1's squashing of a bandit score into a CTR: σ(5·σ(2·σ(0.3x) − 2) − 6), in (0.45%, 2.93%). */
export function recoGymCtr(score: number): number {
  return sigmoid(5 * sigmoid(2 * sigmoid(0.3 * score) - 2) - 6);
}

/**
 * One categorical draw from unnormalised non-negative weights with one uniform: the number of
 * normalised cumulative sums that are <= u (RecoGym's draw rule, statistically the usual one).
 */
export function drawFromWeights(rng: Rng, weights: ArrayLike<number>, total?: number): number {
  const n = weights.length;
  let sum = total;
  if (sum === undefined) {
    sum = 0;
    for (let i = 0; i < n; i++) sum += weights[i] ?? 0;
  }
  const target = rng.random() * sum;
  let cumulative = 0;
  for (let i = 0; i < n - 1; i++) {
    cumulative += weights[i] ?? 0;
    if (cumulative > target) return i;
  }
  return n - 1;
}

/** One categorical draw from a normalised cumulative distribution: the number of entries <= u. */
export function drawFromCdf(rng: Rng, cdf: ArrayLike<number>): number {
  const u = rng.random();
  let index = 0;
  while (index < cdf.length - 1 && (cdf[index] ?? 1) <= u) index++;
  return index;
}

/** A Bernoulli(p) draw with one uniform, in RecoGym's form: 1 iff u >= 1 − p. */
export function drawClick(rng: Rng, p: number): 0 | 1 {
  return rng.random() >= 1 - p ? 1 : 0;
}
