import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { Box, Dict, Discrete, MultiDiscrete, type SpaceJSON, spaceFromJSON, Tuple } from './index.js';

describe('spaceFromJSON', () => {
  it('rebuilds every kind of space so that it samples the same values as the original', () => {
    const spaces = [
      new Discrete(5, 2),
      new MultiDiscrete([3, 2]),
      new Box({ low: [-Infinity, 0], high: [0, Infinity] }),
      new Tuple([new Discrete(2), new Dict({ b: new Box({ low: -1, high: 1, shape: [2, 2], dtype: 'float64' }) })]),
    ];
    for (const space of spaces) {
      const rebuilt = spaceFromJSON(JSON.parse(JSON.stringify(space.toJSON())));
      const a = new Rng('s');
      const b = new Rng('s');
      for (let i = 0; i < 10; i++) expect(rebuilt.sample(b)).toEqual(space.sample(a));
    }
  });

  it('accepts hand-written JSON with null for infinite Box bounds', () => {
    const json: SpaceJSON = {
      type: 'Box',
      low: [null as unknown as number, 0],
      high: [0, null as unknown as number],
      shape: [2],
      dtype: 'float64',
    };
    const box = spaceFromJSON(json) as Box;
    expect(Array.from(box.low)).toEqual([-Infinity, 0]);
    expect(Array.from(box.high)).toEqual([0, Infinity]);
  });

  it('throws naming an unknown space type', () => {
    expect(() => spaceFromJSON({ type: 'Graph' } as unknown as SpaceJSON)).toThrow(/unknown space type "Graph"/);
  });
});
