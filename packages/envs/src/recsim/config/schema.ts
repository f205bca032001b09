import { ConfigError } from '@loomrl/core';
import { describeValue, didYouMean } from '@loomrl/core/internal';

/** The kinds of value an envConfig field may hold. */
export type FieldKind = 'integer' | 'number' | 'boolean' | 'numberArray' | 'numberMatrix' | 'optionalInteger';

/** One envConfig field: its kind, default, bounds, RLlib name (if it has one) and meaning. */
export interface FieldSpec {
  readonly kind: FieldKind;
  readonly default: number | boolean | readonly number[] | readonly (readonly number[])[] | undefined;
  /** Inclusive lower bound for numbers and array entries. */
  readonly min?: number;
  /** Inclusive upper bound for numbers and array entries. */
  readonly max?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** RLlib's snake_case name, or RecSim's parameter name. */
  readonly upstream?: string;
  /** One line for docs and errors. */
  readonly doc: string;
}

/** A record of field specs, one per envConfig key. */
export type ConfigSchema = Readonly<Record<string, FieldSpec>>;

type ValueOf<K extends FieldKind> = K extends 'integer' | 'number'
  ? number
  : K extends 'boolean'
    ? boolean
    : K extends 'numberArray'
      ? number[]
      : K extends 'numberMatrix'
        ? number[][]
        : number | undefined;

/** The validated config a schema describes: every key present, defaults filled in. */
export type ResolvedConfig<S extends ConfigSchema> = { readonly [K in keyof S]: ValueOf<S[K]['kind']> };

function bound(spec: FieldSpec): string {
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`>= ${spec.min}`);
  if (spec.above !== undefined) parts.push(`> ${spec.above}`);
  if (spec.max !== undefined) parts.push(`<= ${spec.max}`);
  if (spec.below !== undefined) parts.push(`< ${spec.below}`);
  return parts.join(' and ');
}

function inRange(value: number, spec: FieldSpec): boolean {
  if (!Number.isFinite(value)) return false;
  if (spec.min !== undefined && value < spec.min) return false;
  if (spec.max !== undefined && value > spec.max) return false;
  if (spec.above !== undefined && value <= spec.above) return false;
  if (spec.below !== undefined && value >= spec.below) return false;
  return true;
}

function expected(spec: FieldSpec): string {
  const range = bound(spec);
  const suffix = range ? ` ${range}` : '';
  switch (spec.kind) {
    case 'integer':
      return `an integer${suffix}`;
    case 'optionalInteger':
      return `an integer${suffix} (or omitted)`;
    case 'number':
      return `a finite number${suffix}`;
    case 'boolean':
      return 'true or false';
    case 'numberArray':
      return `a non-empty array of finite numbers${range ? `, each${suffix}` : ''}`;
    case 'numberMatrix':
      return `a non-empty array of equal-length non-empty arrays of finite numbers${range ? `, each${suffix}` : ''}`;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function isValid(value: unknown, spec: FieldSpec): boolean {
  switch (spec.kind) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && inRange(value, spec);
    case 'optionalInteger':
      return value === undefined || (typeof value === 'number' && Number.isInteger(value) && inRange(value, spec));
    case 'number':
      return typeof value === 'number' && inRange(value, spec);
    case 'boolean':
      return typeof value === 'boolean';
    case 'numberArray':
      return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && inRange(v, spec));
    case 'numberMatrix':
      return (
        Array.isArray(value) &&
        value.length > 0 &&
        value.every(
          (row) =>
            Array.isArray(row) &&
            row.length > 0 &&
            row.length === (value[0] as unknown[]).length &&
            row.every((v) => typeof v === 'number' && inRange(v, spec)),
        )
      );
  }
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  return value;
}

/**
 * Checks `envConfig` against `schema` and fills in defaults. Throws a `ConfigError` for a key the
 * schema does not know (with a did-you-mean suggestion) or a value of the wrong type or range
 * (naming the value and what was expected).
 */
export function validateRecSimConfig<S extends ConfigSchema>(envId: string, schema: S, envConfig: unknown): ResolvedConfig<S> {
  if (envConfig !== undefined && (typeof envConfig !== 'object' || envConfig === null || Array.isArray(envConfig))) {
    throw new ConfigError(`${envId}: envConfig must be a plain object, got ${describeValue(envConfig)}`);
  }
  const given = (envConfig ?? {}) as Record<string, unknown>;
  const known = Object.keys(schema);
  for (const key of Object.keys(given)) {
    if (!(key in schema)) {
      throw new ConfigError(`${envId}: unknown envConfig key "${key}".${didYouMean(key, known)} Known keys: ${known.join(', ')}.`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of known) {
    const spec = schema[key] as FieldSpec;
    const value = key in given && given[key] !== undefined ? given[key] : spec.default;
    if (!isValid(value, spec)) {
      throw new ConfigError(`${envId}: envConfig.${key} must be ${expected(spec)}, got ${describeValue(value)} (${typeName(value)}).`);
    }
    out[key] = copy(value);
  }
  return out as ResolvedConfig<S>;
}
