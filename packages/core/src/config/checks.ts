/**
 * Small value checks for config fields. A check returns `undefined` when the value is fine, or
 * the words "expected …" that the error message shows beside the bad value.
 */
export type Check = (value: unknown) => string | undefined;

/** An integer ≥ `min`. */
export const integerAtLeast =
  (min: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min ? undefined : `an integer >= ${min}`;

/** A finite number > 0. */
export const positiveNumber: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'a finite number > 0');

/** A finite number ≥ 0. */
export const nonNegativeNumber: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'a finite number >= 0');

/** A finite number in [min, max]. */
export const numberIn =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? undefined : `a number in [${min}, ${max}]`;

/** A boolean. */
export const isBoolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');

/** A non-empty string. */
export const nonEmptyString: Check = (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'a non-empty string');

/** One of the listed literals. */
export const oneOf =
  (...options: readonly unknown[]): Check =>
  (v) =>
    options.includes(v) ? undefined : `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;

/** `null`, or what `check` accepts. */
export const nullable =
  (check: Check): Check =>
  (v) => {
    if (v === null) return undefined;
    const expected = check(v);
    return expected === undefined ? undefined : `null or ${expected}`;
  };

/** What any of `checks` accepts. */
export const either =
  (...checks: readonly Check[]): Check =>
  (v) => {
    const failures: string[] = [];
    for (const check of checks) {
      const expected = check(v);
      if (expected === undefined) return undefined;
      failures.push(expected);
    }
    return failures.join(' or ');
  };

/** A plain object (not an array, not null). */
export const plainObject: Check = (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'a plain object');

/** An array whose every element passes `check`. */
export const arrayOf =
  (check: Check, what: string): Check =>
  (v) =>
    Array.isArray(v) && v.every((x) => check(x) === undefined) ? undefined : `an array of ${what}`;

/** Anything (for fields checked elsewhere). */
export const anything: Check = () => undefined;
