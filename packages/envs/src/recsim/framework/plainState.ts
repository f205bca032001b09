import { EnvError } from '@loomrl/core';

const TYPED = { Float32Array, Float64Array, Int32Array, Uint8Array } as const;
type TypedName = keyof typeof TYPED;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `value` as JSON-safe data (typed arrays become `{ $typed, values }`, non-finite numbers
 * `{ $number }`, undefined `{ $undefined: true }`), so an env's state survives a checkpoint's JSON. Anything else that is not plain
 * data (a class instance, a function) is an `EnvError` naming `where`: its state could not be restored.
 */
export function encodePlainState(value: unknown, where: string): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value === undefined) return { $undefined: true };
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $number: String(value) };
  if (typeof value === 'object') {
    for (const name of Object.keys(TYPED) as TypedName[]) {
      if (value instanceof TYPED[name]) return { $typed: name, values: Array.from(value as ArrayLike<number>) };
    }
    if (Array.isArray(value)) return value.map((item, i) => encodePlainState(item, `${where}[${i}]`));
    if (isPlainObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encodePlainState(item, `${where}.${key}`)]));
    }
  }
  throw new EnvError(`getState: ${where} is not plain data (${typeof value}); this RecSim env's state cannot be captured.`);
}

/** Reverses `encodePlainState`. */
export function decodePlainState(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodePlainState);
  const record = value as Record<string, unknown>;
  if (typeof record.$number === 'string' && Object.keys(record).length === 1) return Number(record.$number);
  if (record.$undefined === true && Object.keys(record).length === 1) return undefined;
  if (typeof record.$typed === 'string' && Array.isArray(record.values) && Object.keys(record).length === 2) {
    const Ctor = TYPED[record.$typed as TypedName];
    if (Ctor === undefined) throw new EnvError(`setState: unknown typed array kind ${JSON.stringify(record.$typed)}.`);
    return Ctor.from(record.values as number[]);
  }
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, decodePlainState(item)]));
}

/** The own fields of `object` (a user state, a document) as JSON-safe data. */
export function fieldsOf(object: object, where: string): unknown {
  return encodePlainState({ ...object }, where);
}

/** A new object of `template`'s class holding `fields` (from `fieldsOf` of an object of that class). */
export function objectLike<T extends object>(template: T, fields: unknown, where: string): T {
  const decoded = decodePlainState(fields);
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw new EnvError(`setState: ${where} must be an object of fields, got ${JSON.stringify(fields)?.slice(0, 80)}.`);
  }
  return Object.assign(Object.create(Object.getPrototypeOf(template)) as T, decoded);
}
