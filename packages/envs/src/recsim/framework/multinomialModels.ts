import { ConfigError, EnvError } from '@loomrl/core';
import { ChoiceModel, normalizeWeights } from './choiceModel.js';

/** Options of `MultinomialLogitChoiceModel`. */
export interface MultinomialLogitOptions {
  /** The no-click logit; the default −∞ means the user always clicks. */
  readonly noClickMass?: number;
}

/** P(i) = e^{x_i} / (Σ_j e^{x_j} + e^{noClickMass}), computed with max subtraction. */
export class MultinomialLogitChoiceModel extends ChoiceModel {
  /** The no-click logit. */
  readonly noClickMass: number;

  /** A logit model; `noClickMass` defaults to −∞. */
  constructor(options: MultinomialLogitOptions = {}) {
    super();
    this.noClickMass = options.noClickMass ?? Number.NEGATIVE_INFINITY;
    if (Number.isNaN(this.noClickMass) || this.noClickMass === Number.POSITIVE_INFINITY) {
      throw new ConfigError(`MultinomialLogitChoiceModel: noClickMass must be a number or -Infinity, got ${this.noClickMass}`);
    }
  }

  probabilities(scores: ArrayLike<number>): Float64Array {
    const n = scores.length;
    let max = this.noClickMass;
    for (let i = 0; i < n; i++) max = Math.max(max, scores[i] as number);
    const weights = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) weights[i] = Math.exp((scores[i] as number) - max);
    weights[n] = this.noClickMass === Number.NEGATIVE_INFINITY ? 0 : Math.exp(this.noClickMass - max);
    return normalizeWeights(weights, 'MultinomialLogitChoiceModel');
  }
}

/** Options of `MultinomialProportionalChoiceModel`. */
export interface MultinomialProportionalOptions {
  /** Subtracted from every score (and the no-click mass) so weights are non-negative; required. */
  readonly minNormalizer: number;
  /** The no-click score (default 0). */
  readonly noClickMass?: number;
}

/** P(i) = (x_i − m) / (Σ_j (x_j − m) + noClickMass − m) with m = `minNormalizer`. */
export class MultinomialProportionalChoiceModel extends ChoiceModel {
  /** The shift m. */
  readonly minNormalizer: number;
  /** The no-click score. */
  readonly noClickMass: number;

  /** A proportional model. */
  constructor(options: MultinomialProportionalOptions) {
    super();
    if (typeof options?.minNormalizer !== 'number' || !Number.isFinite(options.minNormalizer)) {
      throw new ConfigError(
        `MultinomialProportionalChoiceModel: minNormalizer is required and must be a finite number, got ${options?.minNormalizer}`,
      );
    }
    this.minNormalizer = options.minNormalizer;
    this.noClickMass = options.noClickMass ?? 0;
    if (this.noClickMass - this.minNormalizer < 0) {
      throw new ConfigError(
        `MultinomialProportionalChoiceModel: noClickMass (${this.noClickMass}) must be >= minNormalizer (${this.minNormalizer})`,
      );
    }
  }

  probabilities(scores: ArrayLike<number>): Float64Array {
    const n = scores.length;
    const weights = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const w = (scores[i] as number) - this.minNormalizer;
      if (!(w >= 0)) {
        throw new EnvError(
          `MultinomialProportionalChoiceModel: score ${scores[i]} at position ${i} is below minNormalizer ${this.minNormalizer}`,
        );
      }
      weights[i] = w;
    }
    weights[n] = this.noClickMass - this.minNormalizer;
    return normalizeWeights(weights, 'MultinomialProportionalChoiceModel');
  }
}
