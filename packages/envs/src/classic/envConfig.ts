import { ConfigError } from '@loomrl/core';
import { describeValue, didYouMean } from '@loomrl/core/internal';

/** How one `envConfig` key is checked: a predicate and the words for what it expects. */
export interface ConfigField {
  /** What a valid value is, for error messages, e.g. `a finite number >= 0`. */
  readonly expected: string;
  /** Whether `value` is valid. */
  readonly check: (value: unknown) => boolean;
}

/** A field that accepts finite numbers, optionally not below `min`. */
export function finiteNumberField(min?: number): ConfigField {
  return {
    expected: min === undefined ? 'a finite number' : `a finite number >= ${min}`,
    check: (value) => typeof value === 'number' && Number.isFinite(value) && (min === undefined || value >= min),
  };
}

/**
 * Checks an env's `envConfig` against its known fields. Throws a `ConfigError` naming an unknown key
 * and the valid keys, or naming a bad value and what was expected. Keys set to `undefined` count as absent.
 */
export function validateEnvConfig(envName: string, config: unknown, fields: Readonly<Record<string, ConfigField>>): void {
  if (config === undefined) return;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(`${envName}: envConfig must be a plain object, got ${describeValue(config)}`);
  }
  const valid = Object.keys(fields);
  const validText = valid.length === 0 ? 'it takes no keys' : `valid keys: ${valid.join(', ')}`;
  for (const [key, value] of Object.entries(config)) {
    const field = fields[key];
    if (field === undefined) {
      throw new ConfigError(`${envName}: unknown envConfig key "${key}" (${validText}).${didYouMean(key, valid)}`);
    }
    if (value !== undefined && !field.check(value)) {
      throw new ConfigError(`${envName}: envConfig.${key} must be ${field.expected}, got ${describeValue(value)}`);
    }
  }
}
