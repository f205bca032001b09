import { LearnerError } from './errors.js';

/**
 * The index (from `offset`) of the first NaN or ±Infinity among `values[offset, offset+length)`,
 * or -1. The common case costs one multiply-add per value (x·0 is 0 for every finite x and NaN
 * otherwise); only a failing array is searched value by value.
 */
export function nonFiniteIndex(values: ArrayLike<number>, length = values.length, offset = 0): number {
  let acc = 0;
  for (let i = offset; i < offset + length; i++) acc += (values[i] as number) * 0;
  if (acc === 0) return -1;
  for (let i = offset; i < offset + length; i++) if (!Number.isFinite(values[i] as number)) return i - offset;
  return -1;
}

/**
 * Throws a `LearnerError` when an update produced a non-finite statistic or weight, naming it, so
 * a diverged learner never sends NaN weights to the workers.
 */
export function assertFiniteUpdate(algorithm: string, stats: Readonly<Record<string, number>>, weights: Float32Array): void {
  for (const [name, value] of Object.entries(stats)) {
    if (!Number.isFinite(value)) {
      throw new LearnerError(
        `${algorithm}'s update diverged: learner stat ${name} is ${value}. Lower the learning rate or set training({ gradClip }).`,
      );
    }
  }
  const bad = nonFiniteIndex(weights);
  if (bad >= 0) {
    throw new LearnerError(
      `${algorithm}'s update diverged: weight ${bad} is ${weights[bad]}. Lower the learning rate or set training({ gradClip }).`,
    );
  }
}
