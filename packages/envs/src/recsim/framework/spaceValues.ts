import { Box, type BoxOptions, type Space } from '@loomrl/core';

interface BoxLike {
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly dtype: 'float32' | 'float64' | 'int32';
  readonly flatDim: number;
}
interface DiscreteLike {
  readonly n: number;
  readonly start: number;
}

/**
 * The "nothing happened" element of a space: 0 clamped into each Box entry's bounds, the first value
 * of a Discrete, zeros of a MultiDiscrete, recursively for Dict and Tuple. Used as the response
 * observation on reset.
 */
export function zeroElement<T>(space: Space<T>): T {
  switch (space.type) {
    case 'Box': {
      const box = space as unknown as BoxLike;
      const out =
        box.dtype === 'float64'
          ? new Float64Array(box.flatDim)
          : box.dtype === 'int32'
            ? new Int32Array(box.flatDim)
            : new Float32Array(box.flatDim);
      for (let i = 0; i < box.flatDim; i++) out[i] = Math.min(Math.max(0, box.low[i] as number), box.high[i] as number);
      return out as unknown as T;
    }
    case 'Discrete':
      return (space as unknown as DiscreteLike).start as unknown as T;
    case 'MultiDiscrete':
      return new Int32Array((space as unknown as { nvec: readonly number[] }).nvec.length) as unknown as T;
    case 'Dict': {
      const spaces = (space as unknown as { spaces: Record<string, Space<unknown>> }).spaces;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(spaces)) out[key] = zeroElement(spaces[key] as Space<unknown>);
      return out as T;
    }
    case 'Tuple':
      return (space as unknown as { spaces: readonly Space<unknown>[] }).spaces.map((s) => zeroElement(s)) as T;
  }
}

/** Lower and upper bounds of every entry of `space.flatten(...)`, in flatten order (one-hot entries lie in [0, 1]). */
export function flatBounds(space: Space<unknown>): { low: number[]; high: number[] } {
  switch (space.type) {
    case 'Box': {
      const box = space as unknown as BoxLike;
      return { low: Array.from(box.low), high: Array.from(box.high) };
    }
    case 'Discrete':
    case 'MultiDiscrete':
      return { low: new Array<number>(space.flatDim).fill(0), high: new Array<number>(space.flatDim).fill(1) };
    case 'Dict':
    case 'Tuple': {
      const record = (space as unknown as { spaces: Record<string, Space<unknown>> | readonly Space<unknown>[] }).spaces;
      const parts = Array.isArray(record) ? record : Object.values(record);
      const low: number[] = [];
      const high: number[] = [];
      for (const part of parts) {
        const b = flatBounds(part as Space<unknown>);
        low.push(...b.low);
        high.push(...b.high);
      }
      return { low, high };
    }
  }
}

/** A float32 `Box` typed as a space of `Float32Array`s (what its elements are). */
export function float32Box(options: Omit<BoxOptions, 'dtype'>): Space<Float32Array> {
  return new Box({ ...options, dtype: 'float32' }) as unknown as Space<Float32Array>;
}
