import { Box, Discrete, MultiDiscrete, type Space } from '@loomrl/core';
import { describeValue } from '@loomrl/core/internal';
import { ServeError } from './httpError.js';

function invalid(message: string): ServeError {
  return new ServeError(422, 'INVALID_OBSERVATION', message);
}

/** The nested-array shape of a JSON value, e.g. `[3]` or `[2, 2]`; `null` when ragged. */
function shapeOf(value: unknown): number[] | null {
  if (!Array.isArray(value)) return [];
  if (value.length === 0) return [0];
  const inner = value.map(shapeOf);
  const first = inner[0] as number[] | null;
  if (first === null || inner.some((s) => s === null || s.join(',') !== first.join(','))) return null;
  return [value.length, ...first];
}

function describeShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function boxFromJSON(space: Box, value: unknown): Float64Array {
  const shape = shapeOf(value);
  if (shape === null || shape.join(',') !== space.shape.join(',')) {
    const got = shape === null ? 'a ragged array' : Array.isArray(value) ? `shape ${describeShape(shape)}` : describeValue(value);
    throw invalid(`observation must have shape ${describeShape(space.shape)} (${space.toString()}), got ${got}.`);
  }
  const flat = (value as unknown[]).flat(Number.POSITIVE_INFINITY) as unknown[];
  const out = new Float64Array(flat.length);
  flat.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw invalid(`observation entry ${i} must be a finite number, got ${describeValue(v)}.`);
    out[i] = v;
  });
  if (!space.contains(out)) throw invalid(`observation ${describeValue(value)} is outside ${space.toString()}.`);
  return out;
}

/**
 * Decodes a JSON observation into an element of `space`: a Box takes (nested) arrays of finite
 * numbers with the space's shape, Discrete an integer, MultiDiscrete an integer array; anything
 * else must be accepted by `space.contains`. A mismatch is a 422 naming the expected shape.
 */
export function observationFromJSON(space: Space<unknown>, value: unknown): unknown {
  if (space instanceof Box) return boxFromJSON(space, value);
  if (space instanceof Discrete || space instanceof MultiDiscrete) {
    if (!space.contains(value)) throw invalid(`observation must be an element of ${space.toString()}, got ${describeValue(value)}.`);
    return value;
  }
  if (!space.contains(value)) throw invalid(`observation ${describeValue(value)} is not in ${space.toString()}.`);
  return value;
}

/** An action as JSON: typed arrays become arrays, numbers stay numbers. */
export function actionToJSON(action: unknown): unknown {
  if (ArrayBuffer.isView(action) && !(action instanceof DataView)) return Array.from(action as unknown as ArrayLike<number>);
  if (Array.isArray(action)) return action.map(actionToJSON);
  return action;
}
