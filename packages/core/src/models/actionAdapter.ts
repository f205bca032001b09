import { Box, Discrete, MultiDiscrete, type Space } from '../spaces/index.js';

/** Turns row `row` of a raw action column into the action the env expects. */
export type ActionAdapter = (raw: Float32Array, row: number) => unknown;

/**
 * The mapping from the policy's raw actions to env actions: Discrete adds `start`, MultiDiscrete
 * becomes an `Int32Array`, and a Box action is scaled from [-1, 1] to the bounds when
 * `normalizeActions` (RLlib's unsquash) and clipped when `normalizeActions` or `clipActions`.
 */
export function createActionAdapter(space: Space<unknown>, options: { normalizeActions: boolean; clipActions: boolean }): ActionAdapter {
  if (space instanceof Discrete) return (raw, row) => space.start + (raw[row] as number);
  if (space instanceof MultiDiscrete) {
    const dim = space.nvec.length;
    return (raw, row) => Int32Array.from(raw.subarray(row * dim, (row + 1) * dim));
  }
  if (space instanceof Box) {
    const dim = space.flatDim;
    const bounded = space.isBounded();
    const unsquash = options.normalizeActions && bounded;
    const clip = (options.normalizeActions || options.clipActions) && bounded;
    return (raw, row) => {
      const out = space.dtype === 'float64' ? new Float64Array(dim) : new Float32Array(dim);
      for (let j = 0; j < dim; j++) {
        const low = space.low[j] as number;
        const high = space.high[j] as number;
        let a = raw[row * dim + j] as number;
        if (unsquash) a = low + ((a + 1) * (high - low)) / 2;
        if (clip) a = Math.min(high, Math.max(low, a));
        out[j] = a;
      }
      return out;
    };
  }
  throw new TypeError(`No action adapter for ${space.toString()}`);
}
