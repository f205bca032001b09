import type { Rng } from '@loomrl/core';
import { describeValue } from '@loomrl/core/internal';
import { TuneError } from '../errors.js';

/** What a `sampleFrom` function sees: the trial's config resolved so far (Tune's `spec.config`). */
export interface SampleSpec {
  readonly config: Readonly<Record<string, unknown>>;
}

/** A search-space entry: a grid (every value, one trial each) or a distribution sampled per trial. */
export abstract class Domain {
  /** The JSON/YAML spelling (`{ "grid_search": [...] }`, `{ "uniform": [lo, hi] }`, ...); `sampleFrom` has none. */
  abstract toJSON(): Record<string, unknown>;
}

/** Every value, combined with the other grids (Tune's `grid_search`). */
export class GridSearch extends Domain {
  readonly values: readonly unknown[];
  constructor(values: readonly unknown[]) {
    super();
    if (!Array.isArray(values) || values.length === 0) {
      throw new TuneError(`gridSearch(values): expected a non-empty array, got ${describeValue(values)}.`);
    }
    this.values = values;
  }
  toJSON(): Record<string, unknown> {
    return { grid_search: this.values };
  }
}

/** A random domain: drawn afresh for every trial from the experiment's seeded stream. */
export abstract class SampledDomain extends Domain {
  /** One value from this domain. */
  abstract sample(rng: Rng): unknown;
}

/** One of `categories`, uniformly (Tune's `choice`). */
export class Choice extends SampledDomain {
  readonly categories: readonly unknown[];
  constructor(categories: readonly unknown[]) {
    super();
    if (!Array.isArray(categories) || categories.length === 0) {
      throw new TuneError(`choice(categories): expected a non-empty array, got ${describeValue(categories)}.`);
    }
    this.categories = categories;
  }
  sample(rng: Rng): unknown {
    return structuredClone(this.categories[rng.int(this.categories.length)]);
  }
  toJSON(): Record<string, unknown> {
    return { choice: this.categories };
  }
}

function checkRange(name: string, low: unknown, high: unknown, positive = false): void {
  if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
    throw new TuneError(`${name}(low, high): expected finite numbers with low < high, got ${describeValue(low)}, ${describeValue(high)}.`);
  }
  if (positive && low <= 0) throw new TuneError(`${name}(low, high): expected 0 < low, got ${describeValue(low)}.`);
}

/** A float uniform in [low, high) (Tune's `uniform`). */
export class Uniform extends SampledDomain {
  constructor(
    readonly low: number,
    readonly high: number,
  ) {
    super();
    checkRange('uniform', low, high);
  }
  sample(rng: Rng): number {
    return rng.uniform(this.low, this.high);
  }
  toJSON(): Record<string, unknown> {
    return { uniform: [this.low, this.high] };
  }
}

/** A float uniform in log space between low and high (Tune's `loguniform`). */
export class LogUniform extends SampledDomain {
  constructor(
    readonly low: number,
    readonly high: number,
  ) {
    super();
    checkRange('loguniform', low, high, true);
  }
  sample(rng: Rng): number {
    return Math.exp(rng.uniform(Math.log(this.low), Math.log(this.high)));
  }
  toJSON(): Record<string, unknown> {
    return { loguniform: [this.low, this.high] };
  }
}

/** An integer in [low, high): `high` is exclusive, as in Tune's `randint`. */
export class RandInt extends SampledDomain {
  constructor(
    readonly low: number,
    readonly high: number,
  ) {
    super();
    checkRange('randint', low, high);
    if (!Number.isInteger(low) || !Number.isInteger(high)) {
      throw new TuneError(`randint(low, high): expected integers, got ${describeValue(low)}, ${describeValue(high)}.`);
    }
  }
  sample(rng: Rng): number {
    return this.low + rng.int(this.high - this.low);
  }
  toJSON(): Record<string, unknown> {
    return { randint: [this.low, this.high] };
  }
}

/** A value computed from the rest of the trial's config (Tune's `sample_from`); code only, never from JSON. */
export class SampleFrom extends Domain {
  readonly fn: (spec: SampleSpec) => unknown;
  constructor(fn: (spec: SampleSpec) => unknown) {
    super();
    if (typeof fn !== 'function') throw new TuneError(`sampleFrom(fn): expected a function, got ${describeValue(fn)}.`);
    this.fn = fn;
  }
  toJSON(): Record<string, unknown> {
    return { sample_from: '<function>' };
  }
}

/** Every value in `values`, one trial each, combined with the other grids (Tune's `tune.grid_search`). */
export function gridSearch(values: readonly unknown[]): GridSearch {
  return new GridSearch(values);
}
/** One of `categories`, uniformly at random per trial (Tune's `tune.choice`). */
export function choice(categories: readonly unknown[]): Choice {
  return new Choice(categories);
}
/** A float uniform in [low, high) per trial (Tune's `tune.uniform`). */
export function uniform(low: number, high: number): Uniform {
  return new Uniform(low, high);
}
/** A float log-uniform in [low, high) per trial (Tune's `tune.loguniform`). */
export function loguniform(low: number, high: number): LogUniform {
  return new LogUniform(low, high);
}
/** An integer in [low, high) per trial, `high` exclusive (Tune's `tune.randint`). */
export function randint(low: number, high: number): RandInt {
  return new RandInt(low, high);
}
/** A value computed from the trial's config resolved so far (Tune's `tune.sample_from`). */
export function sampleFrom(fn: (spec: SampleSpec) => unknown): SampleFrom {
  return new SampleFrom(fn);
}

const MARKERS: Readonly<Record<string, (arg: unknown) => Domain>> = {
  grid_search: (arg) => new GridSearch(arg as unknown[]),
  gridSearch: (arg) => new GridSearch(arg as unknown[]),
  choice: (arg) => new Choice(arg as unknown[]),
  uniform: (arg) => pair('uniform', arg, (lo, hi) => new Uniform(lo, hi)),
  loguniform: (arg) => pair('loguniform', arg, (lo, hi) => new LogUniform(lo, hi)),
  randint: (arg) => pair('randint', arg, (lo, hi) => new RandInt(lo, hi)),
};

function pair(name: string, arg: unknown, make: (lo: number, hi: number) => Domain): Domain {
  if (!Array.isArray(arg) || arg.length !== 2)
    throw new TuneError(`{ "${name}": [low, high] } expected a pair, got ${describeValue(arg)}.`);
  return make(arg[0] as number, arg[1] as number);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Turns the JSON/YAML spellings of search-space entries into domains, recursively:
 * `{ "grid_search": [...] }`, `{ "choice": [...] }`, `{ "uniform": [lo, hi] }`,
 * `{ "loguniform": [lo, hi] }`, `{ "randint": [lo, hi] }`. Tune's `{ "eval": "..." }` strings are
 * refused: LoomRL never evaluates code found in a file.
 */
export function parseSearchSpace(value: unknown, path = 'config'): unknown {
  if (Array.isArray(value)) return value.map((v, i) => parseSearchSpace(v, `${path}[${i}]`));
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const key = keys[0] as string;
    if (key === 'eval') {
      throw new TuneError(
        `${path}: { "eval": ... } search entries are not supported (LoomRL never evaluates code from files); use sampleFrom() in code.`,
      );
    }
    const make = MARKERS[key];
    if (make !== undefined) return make(value[key]);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = parseSearchSpace(value[key], `${path}.${key}`);
  return out;
}
