import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { Box } from './box.js';
import { DictSpace, TupleSpace } from './composite.js';
import { Discrete } from './discrete.js';
import { MultiDiscrete } from './multiDiscrete.js';
import { spaceFromJSON } from './serialize.js';
import type { Space } from './space.js';

const position = new Box({ low: [-1, -Infinity], high: [1, Infinity] });
const dict = new DictSpace({ mode: new Discrete(3), position, flags: new MultiDiscrete([2, 2]) });
const tuple = new TupleSpace([new Discrete(2, 1), new Box({ low: 0, high: 1, shape: [1], dtype: 'float64' })]);
const nested = new DictSpace({ pair: tuple, inner: new DictSpace({ k: new Discrete(4) }) });

describe('Dict space', () => {
  it('samples records that it contains, with one entry per key', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 100; i++) {
      const x = dict.sample(rng);
      expect(Object.keys(x)).toEqual(['mode', 'position', 'flags']);
      expect(dict.contains(x)).toBe(true);
    }
  });

  it('rejects non-objects, missing keys, extra keys and bad entries', () => {
    const good = { mode: 1, position: [0, 5], flags: [1, 0] };
    expect(dict.contains(good)).toBe(true);
    const bads: unknown[] = [
      null,
      3,
      'x',
      { mode: 1, position: [0, 5] },
      { ...good, extra: 0 },
      { ...good, mode: 3 },
      { ...good, position: [2, 0] },
      { ...good, position: [Number.NaN, 0] },
      { ...good, flags: [1, 0.5] },
      { mode: 1, position: [0, 5], flag: [1, 0] },
    ];
    for (const bad of bads) expect(dict.contains(bad), JSON.stringify(bad)).toBe(false);
  });

  it('flattens its entries in key order and unflattens back', () => {
    expect(dict.flatDim).toBe(3 + 2 + 4);
    const x = { mode: 2, position: new Float32Array([0.5, -7]), flags: Int32Array.from([0, 1]) };
    const flat = dict.flatten(x);
    expect(Array.from(flat)).toEqual([0, 0, 1, 0.5, -7, 1, 0, 0, 1]);
    expect(dict.unflatten(flat)).toEqual(x);
  });

  it('round-trips nested Dict/Tuple samples through flatten/unflatten at an offset', () => {
    const rng = new Rng(2);
    const out = new Float32Array(nested.flatDim + 3);
    for (let i = 0; i < 20; i++) {
      const x = nested.sample(rng);
      nested.flatten(x, out, 3);
      const back = nested.unflatten(out, 3);
      expect(nested.contains(back)).toBe(true);
      // the float64 Box entry passes through float32, so compare the exact flat forms and the discrete entries
      expect(nested.flatten(back)).toEqual(nested.flatten(x));
      expect(back.inner).toEqual(x.inner);
      expect(back.pair[0]).toBe(x.pair[0]);
    }
  });

  it('constructor errors name the key whose entry is not a space', () => {
    expect(() => new DictSpace({ ok: new Discrete(2), bad: 3 as unknown as Space<number> })).toThrow(/"bad".*3/);
  });
});

describe('Tuple space', () => {
  it('samples arrays that it contains', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 100; i++) {
      const x = tuple.sample(rng);
      expect(Array.isArray(x)).toBe(true);
      expect(x).toHaveLength(2);
      expect(tuple.contains(x)).toBe(true);
    }
  });

  it('rejects non-arrays, wrong lengths and bad entries', () => {
    expect(tuple.contains([1, [0.5]])).toBe(true);
    for (const bad of [null, { 0: 1, 1: [0.5], length: 2 }, [1], [1, [0.5], 0], [0, [0.5]], [1, [1.5]], [1, [Number.NaN]]]) {
      expect(tuple.contains(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('flattens its entries in order and unflattens back', () => {
    expect(tuple.flatDim).toBe(3);
    const x: [number, Float64Array] = [2, new Float64Array([0.25])];
    const flat = tuple.flatten(x);
    expect(Array.from(flat)).toEqual([0, 1, 0.25]);
    expect(tuple.unflatten(flat)).toEqual(x);
  });

  it('constructor errors name the index whose entry is not a space', () => {
    expect(() => new TupleSpace([new Discrete(2), null as unknown as Space<number>])).toThrow(/\[1\].*null/);
  });
});

describe('composite serialization', () => {
  it('round-trips Dict and Tuple (nested, with infinite bounds) through JSON text to equal spaces', () => {
    for (const space of [dict, tuple, nested] as Space<unknown>[]) {
      const text = JSON.stringify(space.toJSON());
      const rebuilt = spaceFromJSON(JSON.parse(text));
      expect(rebuilt.constructor).toBe(space.constructor);
      expect(rebuilt, text).toStrictEqual(space);
      expect(rebuilt.toString()).toBe(space.toString());
    }
  });

  it('renders nested short forms for error messages', () => {
    expect(tuple.toString()).toBe('Tuple(Discrete(2, start=1), Box(0, 1, (1,), float64))');
    expect(new DictSpace({ a: new Discrete(2) }).toString()).toBe('Dict(a: Discrete(2))');
  });
});
