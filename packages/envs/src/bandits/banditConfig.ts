import type { Check } from '@loomrl/core';
import { integerAtLeast, nonNegativeNumber, numberIn } from '@loomrl/core/internal';
import type { ConfigField } from '../classic/envConfig.js';

/** An `envConfig` field checked by one of core's config checks (the words are the check's own). */
function fieldOf(check: Check, expected: string): ConfigField {
  return { expected, check: (value) => check(value) === undefined };
}

/** An integer >= `min`. */
export const integerField = (min: number): ConfigField => fieldOf(integerAtLeast(min), `an integer >= ${min}`);

/** A finite number >= 0. */
export const nonNegativeField: ConfigField = fieldOf(nonNegativeNumber, 'a finite number >= 0');

/** A finite number in [min, max]. */
export const numberInField = (min: number, max: number): ConfigField => fieldOf(numberIn(min, max), `a number in [${min}, ${max}]`);
