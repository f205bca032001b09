export { Box, type BoxArray, type BoxArrayOf, type BoxOptions } from './box.js';
export { DictSpace as Dict, TupleSpace as Tuple } from './composite.js';
export { Discrete } from './discrete.js';
export { MultiDiscrete } from './multiDiscrete.js';
export { spaceFromJSON } from './serialize.js';
export type { BoxDtype, Space, SpaceElement, SpaceJSON } from './space.js';
