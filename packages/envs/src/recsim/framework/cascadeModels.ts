import { ConfigError, EnvError } from '@loomrl/core';
import { ChoiceModel } from './choiceModel.js';

/** Options shared by the cascade models. */
export interface CascadeOptions {
  /** Probability a to look at each position, in [0, 1] (default 1). */
  readonly attentionProb?: number;
  /** Scales item click propensities; required, ≥ 0. */
  readonly scoreScaling: number;
}

function checkCascadeOptions(model: string, options: CascadeOptions): { attentionProb: number; scoreScaling: number } {
  const attentionProb = options?.attentionProb ?? 1;
  if (typeof attentionProb !== 'number' || !(attentionProb >= 0 && attentionProb <= 1)) {
    throw new ConfigError(`${model}: attentionProb must be a number in [0, 1], got ${attentionProb}`);
  }
  const scoreScaling = options?.scoreScaling;
  if (typeof scoreScaling !== 'number' || !(scoreScaling >= 0) || !Number.isFinite(scoreScaling)) {
    throw new ConfigError(`${model}: scoreScaling is required and must be a finite number >= 0, got ${scoreScaling}`);
  }
  return { attentionProb, scoreScaling };
}

/**
 * The cascade: walking the slate in order, position i is clicked with probability
 * a·v_i·Π_{j<i}(1 − a·v_j); nothing is clicked with probability Π_j(1 − a·v_j).
 */
export function cascadeProbabilities(propensities: ArrayLike<number>, attentionProb: number): Float64Array {
  const n = propensities.length;
  const out = new Float64Array(n + 1);
  let reach = 1;
  for (let i = 0; i < n; i++) {
    const p = attentionProb * (propensities[i] as number);
    out[i] = reach * p;
    reach *= 1 - p;
  }
  out[n] = reach;
  return out;
}

/** Cascade with propensities v_i = scoreScaling · e^{x_i} (each must be ≤ 1). */
export class ExponentialCascadeChoiceModel extends ChoiceModel {
  /** The attention probability a. */
  readonly attentionProb: number;
  /** The score scaling. */
  readonly scoreScaling: number;

  /** An exponential cascade model. */
  constructor(options: CascadeOptions) {
    super();
    const checked = checkCascadeOptions('ExponentialCascadeChoiceModel', options);
    this.attentionProb = checked.attentionProb;
    this.scoreScaling = checked.scoreScaling;
  }

  probabilities(scores: ArrayLike<number>): Float64Array {
    const v = new Float64Array(scores.length);
    for (let i = 0; i < v.length; i++) {
      v[i] = this.scoreScaling * Math.exp(scores[i] as number);
      if (!((v[i] as number) <= 1)) {
        throw new EnvError(`ExponentialCascadeChoiceModel: scoreScaling·exp(score) = ${v[i]} at position ${i} exceeds 1`);
      }
    }
    return cascadeProbabilities(v, this.attentionProb);
  }
}

/** Options of `ProportionalCascadeChoiceModel`. */
export interface ProportionalCascadeOptions extends CascadeOptions {
  /** Subtracted from every score; required. */
  readonly minNormalizer: number;
}

/** Cascade with propensities v_i = scoreScaling · (x_i − minNormalizer) (each x_i must be ≥ minNormalizer). */
export class ProportionalCascadeChoiceModel extends ChoiceModel {
  /** The attention probability a. */
  readonly attentionProb: number;
  /** The score scaling. */
  readonly scoreScaling: number;
  /** The shift m. */
  readonly minNormalizer: number;

  /** A proportional cascade model. */
  constructor(options: ProportionalCascadeOptions) {
    super();
    const checked = checkCascadeOptions('ProportionalCascadeChoiceModel', options);
    this.attentionProb = checked.attentionProb;
    this.scoreScaling = checked.scoreScaling;
    if (typeof options.minNormalizer !== 'number' || !Number.isFinite(options.minNormalizer)) {
      throw new ConfigError(
        `ProportionalCascadeChoiceModel: minNormalizer is required and must be a finite number, got ${options.minNormalizer}`,
      );
    }
    this.minNormalizer = options.minNormalizer;
  }

  probabilities(scores: ArrayLike<number>): Float64Array {
    const v = new Float64Array(scores.length);
    for (let i = 0; i < v.length; i++) {
      const shifted = (scores[i] as number) - this.minNormalizer;
      if (!(shifted >= 0)) {
        throw new EnvError(
          `ProportionalCascadeChoiceModel: score ${scores[i]} at position ${i} is below minNormalizer ${this.minNormalizer}`,
        );
      }
      v[i] = this.scoreScaling * shifted;
    }
    return cascadeProbabilities(v, this.attentionProb);
  }
}
