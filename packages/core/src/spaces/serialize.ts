import { Box } from './box.js';
import { DictSpace, TupleSpace } from './composite.js';
import { Discrete } from './discrete.js';
import { MultiDiscrete } from './multiDiscrete.js';
import type { Space, SpaceJSON } from './space.js';

/** Rebuilds a space from its `toJSON()` form (e.g. after crossing a thread boundary). */
export function spaceFromJSON(json: SpaceJSON): Space<unknown> {
  switch (json.type) {
    case 'Discrete':
      return new Discrete(json.n, json.start);
    case 'MultiDiscrete':
      return new MultiDiscrete(json.nvec);
    case 'Box':
      return new Box({ low: json.low, high: json.high, shape: json.shape, dtype: json.dtype });
    case 'Dict': {
      const spaces: Record<string, Space<unknown>> = {};
      for (const [key, sub] of Object.entries(json.spaces)) spaces[key] = spaceFromJSON(sub);
      return new DictSpace(spaces);
    }
    case 'Tuple':
      return new TupleSpace(json.spaces.map(spaceFromJSON));
    default:
      throw new TypeError(`spaceFromJSON: unknown space type ${JSON.stringify((json as { type?: unknown }).type)}`);
  }
}
