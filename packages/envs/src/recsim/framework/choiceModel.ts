import { EnvError, type Rng } from '@loomrl/core';
import type { RecUserState } from './user.js';

/** The slate position a choice model picks when the user clicks nothing. */
export const NO_CLICK = -1;

/**
 * Turns per-document scores into click probabilities and draws at most one click (RecSim's
 * `AbstractChoiceModel`). `probabilities` returns S + 1 normalized entries: one per slate position,
 * then the no-click entry.
 */
export abstract class ChoiceModel {
  private lastProbabilities: Float64Array = new Float64Array([1]);
  private lastScores: Float64Array = new Float64Array(0);

  /** S + 1 normalized probabilities for the raw scores of an S-document slate (last = no click). */
  abstract probabilities(scores: ArrayLike<number>): Float64Array;

  /** Scores each document observation with the user state and stores the click distribution. */
  scoreDocuments<DO>(user: RecUserState<unknown, DO>, documentObservations: readonly DO[]): void {
    const scores = new Float64Array(documentObservations.length);
    for (let i = 0; i < scores.length; i++) scores[i] = user.scoreDocument(documentObservations[i] as DO);
    this.lastScores = scores;
    this.lastProbabilities = this.probabilities(scores);
  }

  /** The raw scores of the last scored slate. */
  get scores(): Float64Array {
    return this.lastScores;
  }

  /** The click distribution of the last scored slate (S + 1 entries, last = no click). */
  get clickProbabilities(): Float64Array {
    return this.lastProbabilities;
  }

  /** Draws the clicked slate position of the last scored slate, or `NO_CLICK`, with one draw of `rng`. */
  chooseItem(rng: Rng): number {
    const chosen = sampleCategorical(this.lastProbabilities, rng);
    return chosen === this.lastProbabilities.length - 1 ? NO_CLICK : chosen;
  }
}

/** One draw of a categorical distribution given by normalized `probabilities`, using one uniform of `rng`. */
export function sampleCategorical(probabilities: ArrayLike<number>, rng: Rng): number {
  const u = rng.random();
  let cumulative = 0;
  let lastPositive = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (p > 0) lastPositive = i;
    cumulative += p;
    if (u < cumulative) return i;
  }
  return lastPositive;
}

/** Divides `weights` by their sum in place; throws when the sum is not a positive finite number. */
export function normalizeWeights(weights: Float64Array, model: string): Float64Array {
  let total = 0;
  for (const w of weights) total += w;
  if (!(total > 0) || !Number.isFinite(total)) {
    throw new EnvError(`${model}: click weights must have a positive finite sum, got ${total} from [${Array.from(weights).join(', ')}]`);
  }
  for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) / total;
  return weights;
}
