import { ConfigError } from '@loomrl/core';
import { didYouMean } from '@loomrl/core/internal';

/** Options every RecoGym agent takes (RecoGym's agent args). */
export interface RecoGymAgentBaseOptions {
  /** P, the number of products. Default 10. */
  readonly numProducts?: number;
  /** Seed of the agent's own stream. Default 42 (RecoGym draws one at import time). */
  readonly randomSeed?: number;
  /** Also return the full propensity vector `psA`. Default false. */
  readonly withPsAll?: boolean;
}

/** Validated base options. */
export interface ResolvedAgentBaseOptions {
  readonly numProducts: number;
  readonly randomSeed: number;
  readonly withPsAll: boolean;
}

/**
 * Validates an agent's options: unknown keys (with a did-you-mean) and the base fields. `known`
 * lists the agent's own extra keys.
 */
export function resolveAgentOptions(agent: string, options: object, known: readonly string[]): ResolvedAgentBaseOptions {
  const allowed = ['numProducts', 'randomSeed', 'withPsAll', ...known];
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(`${agent}: unknown option "${key}".${didYouMean(key, allowed)} Known options: ${allowed.join(', ')}.`);
    }
  }
  const { numProducts = 10, randomSeed = 42, withPsAll = false } = options as RecoGymAgentBaseOptions;
  if (!Number.isInteger(numProducts) || numProducts < 1) {
    throw new ConfigError(`${agent}: numProducts must be an integer >= 1, got ${String(numProducts)}`);
  }
  if (!Number.isInteger(randomSeed) || randomSeed < 0) {
    throw new ConfigError(`${agent}: randomSeed must be an integer >= 0, got ${String(randomSeed)}`);
  }
  return { numProducts, randomSeed, withPsAll };
}

/** Checks that `value` is a number in [min, max] and returns it. */
export function checkRange(agent: string, name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new ConfigError(`${agent}: ${name} must be a number in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}
