import { Box, ConfigError, Dict, Discrete, type Rng, type Space, Tuple } from '@loomrl/core';

/** What a leaf operation returns for the values at one Box or Discrete leaf (one value per observation). */
export type LeafOp = (space: Box | Discrete, values: readonly unknown[]) => number[];

/**
 * Walks a space depth first — a Dict in its key order, a Tuple by index — carrying the matching
 * parts of a list of observations, and concatenates what `leafOp` returns at each Box or Discrete
 * leaf (RecSim's `GymSpaceWalker`). Any other space is a `ConfigError`.
 */
export class SpaceWalker {
  constructor(
    private readonly space: Space<unknown>,
    private readonly leafOp: LeafOp,
  ) {}

  /** `leafOp`'s results over the space's leaves for `observations` (one observation per entry). */
  applyAndFlatten(observations: readonly unknown[]): number[] {
    const out: number[] = [];
    this.walk(this.space, observations, out);
    return out;
  }

  private walk(space: Space<unknown>, values: readonly unknown[], out: number[]): void {
    if (space instanceof Box || space instanceof Discrete) {
      out.push(...this.leafOp(space, values));
      return;
    }
    if (space instanceof Dict) {
      for (const [key, inner] of Object.entries(space.spaces as Record<string, Space<unknown>>)) {
        this.walk(
          inner,
          values.map((v) => (v as Record<string, unknown>)[key]),
          out,
        );
      }
      return;
    }
    if (space instanceof Tuple) {
      (space.spaces as readonly Space<unknown>[]).forEach((inner, i) => {
        this.walk(
          inner,
          values.map((v) => (v as readonly unknown[])[i]),
          out,
        );
      });
      return;
    }
    throw new ConfigError(`SpaceWalker: cannot walk ${space.toString()}; only Box, Discrete, Dict and Tuple spaces.`);
  }
}

/**
 * numpy's `digitize(x, linspace(low, high, bins))`: the index i ∈ [0, bins] with edge[i−1] ≤ x <
 * edge[i] (below `low` → 0, exactly `low` → 1, at or above `high` → `bins`).
 */
export function digitize(x: number, low: number, high: number, bins: number): number {
  if (x < low) return 0;
  if (x >= high) return bins;
  if (bins < 2) return 1;
  const step = (high - low) / (bins - 1);
  // Edges low + k·step, k = 0…bins−1; count the edges ≤ x.
  let i = Math.floor((x - low) / step) + 1;
  while (i > 0 && low + (i - 1) * step > x) i -= 1;
  while (i < bins && low + i * step <= x) i += 1;
  return i;
}

/**
 * One pass over `(slate, key)` items: the first item with the largest Q (default 0; strict `>`) and
 * a uniformly reservoir-sampled item; with probability ε (`u ≤ ε`) the random one, else the best
 * (RecSim's `epsilon_greedy_exploration`). An empty list gives `null`.
 */
export function epsilonGreedyExploration<T>(
  items: Iterable<readonly [T, string]>,
  qTable: ReadonlyMap<string, number>,
  epsilon: number,
  rng: Rng,
): readonly [T, string] | null {
  let best: readonly [T, string] | null = null;
  let bestQ = Number.NEGATIVE_INFINITY;
  let random: readonly [T, string] | null = null;
  let n = 0;
  for (const item of items) {
    n += 1;
    const q = qTable.get(item[1]) ?? 0;
    if (best === null || q > bestQ) {
      best = item;
      bestQ = q;
    }
    if (n === 1 || rng.random() < 1 / n) random = item;
  }
  if (best === null) return null;
  return rng.random() <= epsilon ? random : best;
}

/** The first item never tried (count 0), else the first with the smallest count (RecSim's `min_count_exploration`). */
export function minCountExploration<T>(
  items: Iterable<readonly [T, string]>,
  counts: ReadonlyMap<string, number>,
): readonly [T, string] | null {
  let best: readonly [T, string] | null = null;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const item of items) {
    const count = counts.get(item[1]) ?? 0;
    if (count === 0) return item;
    if (count < bestCount) {
      best = item;
      bestCount = count;
    }
  }
  return best;
}

/** All S-combinations (`ordered` false, lexicographic) or S-permutations (`ordered` true) of 0…C−1, in itertools order. */
export function* slatesOf(numCandidates: number, slateSize: number, ordered: boolean): Generator<number[]> {
  const current: number[] = [];
  const used = new Uint8Array(numCandidates);
  function* visit(start: number): Generator<number[]> {
    if (current.length === slateSize) {
      yield [...current];
      return;
    }
    for (let i = ordered ? 0 : start; i < numCandidates; i++) {
      if (used[i] === 1) continue;
      used[i] = 1;
      current.push(i);
      yield* visit(i + 1);
      current.pop();
      used[i] = 0;
    }
  }
  yield* visit(0);
}

/** The documents of an observation in candidate order (keys "0".."C−1"). */
export function documentsOf<DO>(doc: Readonly<Record<string, DO>>): DO[] {
  return Object.keys(doc).map((_, k) => doc[String(k)] as DO);
}
