import { createRng, type Rng } from '@loomrl/core';
import { TuneError } from '../errors.js';
import { Domain, GridSearch, SampledDomain, SampleFrom } from './space.js';

/** One expanded trial configuration. */
export interface Variant {
  /** The config with every domain replaced by its value for this trial. */
  readonly config: Record<string, unknown>;
  /** The resolved search variables keyed by their `/`-joined path (Tune's `evaluated_params`). */
  readonly evaluatedParams: Record<string, unknown>;
  /** `<counter>` or `<counter>_<lastKey=value,...>` (Tune's `experiment_tag`). */
  readonly experimentTag: string;
}

type Path = readonly string[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Every `[path, domain]` in `space`, sorted by path element by element (Tune's order). */
function findDomains(space: unknown, path: string[] = []): Array<[Path, Domain]> {
  if (space instanceof Domain) return [[path, space]];
  const found: Array<[Path, Domain]> = [];
  if (Array.isArray(space)) {
    space.forEach((v, i) => {
      found.push(...findDomains(v, [...path, String(i)]));
    });
  } else if (isPlainObject(space)) for (const [k, v] of Object.entries(space)) found.push(...findDomains(v, [...path, k]));
  return found;
}

function comparePaths(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function copyWithoutDomains(space: unknown): unknown {
  if (space instanceof Domain) return space;
  if (Array.isArray(space)) return space.map(copyWithoutDomains);
  if (isPlainObject(space)) return Object.fromEntries(Object.entries(space).map(([k, v]) => [k, copyWithoutDomains(v)]));
  return structuredClone(space);
}

function setPath(target: unknown, path: Path, value: unknown): void {
  let node = target as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1) as string] = value;
}

/** Formats one value for an experiment tag: floats with 4 decimals, other values made path-safe. */
export function formatTagValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value)) return value.toFixed(4);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return String(text)
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function resolveSampleFrom(config: Record<string, unknown>, pending: Array<[Path, SampleFrom]>): void {
  let left = pending;
  for (let pass = 0; pass < 20 && left.length > 0; pass++) {
    const next: Array<[Path, SampleFrom]> = [];
    for (const [path, domain] of left) {
      let value: unknown;
      try {
        value = domain.fn({ config });
      } catch (error) {
        next.push([path, domain]);
        if (pass === 19) throw new TuneError(`sampleFrom at ${path.join('/')} threw: ${(error as Error).message}`, { cause: error });
        continue;
      }
      if (value instanceof Domain) throw new TuneError(`sampleFrom at ${path.join('/')} returned a search domain; return a value.`);
      setPath(config, path, value);
    }
    left = next;
  }
  if (left.length > 0)
    throw new TuneError(`sampleFrom entries ${left.map(([p]) => p.join('/')).join(', ')} could not be resolved (a cycle?).`);
}

/**
 * Expands a search space as Tune's `BasicVariantGenerator` does: grid variables sorted by path,
 * the first changing fastest; random domains sampled afresh for every grid point from a stream
 * seeded by `searchSeed`; `sampleFrom` resolved last (up to 20 passes); the whole grid repeated
 * `numSamples` times, so there are `numSamples × Π|grid|` variants in that order.
 */
export function generateVariants(space: Record<string, unknown>, numSamples: number, searchSeed: number | string = 0): Variant[] {
  if (!Number.isInteger(numSamples) || numSamples < 1) throw new TuneError(`numSamples: expected an integer >= 1, got ${numSamples}.`);
  const domains = findDomains(space).sort(([a], [b]) => comparePaths(a, b));
  const grids = domains.filter((d): d is [Path, GridSearch] => d[1] instanceof GridSearch);
  const sampled = domains.filter((d): d is [Path, SampledDomain] => d[1] instanceof SampledDomain);
  const functions = domains.filter((d): d is [Path, SampleFrom] => d[1] instanceof SampleFrom);
  const gridSize = grids.reduce((n, [, g]) => n * g.values.length, 1);
  const rng: Rng = createRng(searchSeed, 'variants');
  const variants: Variant[] = [];
  for (let repeat = 0; repeat < numSamples; repeat++) {
    for (let point = 0; point < gridSize; point++) {
      const config = copyWithoutDomains(space) as Record<string, unknown>;
      const resolved: Array<[Path, unknown]> = [];
      let rest = point;
      for (const [path, grid] of grids) {
        const value = structuredClone(grid.values[rest % grid.values.length]);
        rest = Math.floor(rest / grid.values.length);
        setPath(config, path, value);
        resolved.push([path, value]);
      }
      for (const [path, domain] of sampled) {
        const value = domain.sample(rng);
        setPath(config, path, value);
        resolved.push([path, value]);
      }
      resolveSampleFrom(config, functions);
      for (const [path] of functions) {
        let node: unknown = config;
        for (const key of path) node = (node as Record<string, unknown>)[key];
        resolved.push([path, node]);
      }
      resolved.sort(([a], [b]) => comparePaths(a, b));
      const counter = variants.length;
      const vars = resolved.map(([path, value]) => `${path.at(-1)}=${formatTagValue(value)}`).join(',');
      variants.push({
        config,
        evaluatedParams: Object.fromEntries(resolved.map(([path, value]) => [path.join('/'), value])),
        experimentTag: vars.length > 0 ? `${counter}_${vars}` : String(counter),
      });
    }
  }
  return variants;
}

/**
 * Merges a search space into a base config, recursing into plain objects and keeping domains as
 * they are (a grid over `model.fcnetHiddens` leaves the other model fields in place).
 */
export function mergeSpace(base: Record<string, unknown>, space: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(space)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeSpace(current, value) : value;
  }
  return out;
}
