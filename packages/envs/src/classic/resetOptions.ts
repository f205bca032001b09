import { EnvError } from '@loomrl/core';
import { describeValue } from '@loomrl/core/internal';

/**
 * Reads numeric reset options (Gymnasium's `reset(options=...)`): each key of `defaults` may be set to
 * a finite number in `options`; absent keys keep their default. Unknown keys or non-numbers throw an
 * `EnvError` naming the key or value and what was expected.
 */
export function readResetNumbers<K extends string>(
  envName: string,
  options: Readonly<Record<string, unknown>> | undefined,
  defaults: Readonly<Record<K, number>>,
): Record<K, number> {
  const result = { ...defaults } as Record<K, number>;
  if (options === undefined) return result;
  const valid = Object.keys(defaults);
  for (const [key, value] of Object.entries(options)) {
    if (!valid.includes(key)) {
      throw new EnvError(`${envName}.reset: unknown option "${key}" (valid options: ${valid.join(', ')})`);
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new EnvError(`${envName}.reset: option ${key} must be a finite number, got ${describeValue(value)}`);
    }
    result[key as K] = value;
  }
  return result;
}

/** The `low`/`high` bounds of a uniform reset (defaults where absent); throws an `EnvError` when low > high. */
export function readResetBounds(
  envName: string,
  options: Readonly<Record<string, unknown>> | undefined,
  defaultLow: number,
  defaultHigh: number,
): { low: number; high: number } {
  const { low, high } = readResetNumbers(envName, options, { low: defaultLow, high: defaultHigh });
  if (low > high) throw new EnvError(`${envName}.reset: option low (${low}) must be <= high (${high})`);
  return { low, high };
}
