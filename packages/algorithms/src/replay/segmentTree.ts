import { DataError } from '@loomrl/core';

/** The smallest power of two ≥ `n` (≥ 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * A complete binary tree over `Float64Array` leaves whose inner nodes combine their two children
 * (sum or min). Node 1 is the root; leaf `i` is node `capacity + i`. Updates, range queries and
 * prefix searches are O(log n) (RLlib's `SegmentTree`). Every inner node always equals
 * `combine(left, right)` of its current children, so a tree rebuilt from its leaves is identical
 * bit for bit to one built by any sequence of updates.
 */
export abstract class SegmentTree {
  /** Number of leaves: the requested size rounded up to a power of two. */
  readonly capacity: number;
  /** The value of empty leaves and of an empty range (0 for sums, +∞ for minima). */
  readonly neutral: number;
  protected readonly nodes: Float64Array;

  protected constructor(size: number, neutral: number) {
    if (!Number.isInteger(size) || size < 1) throw new DataError(`A segment tree needs an integer size >= 1, got ${size}`);
    this.capacity = nextPowerOfTwo(size);
    this.neutral = neutral;
    this.nodes = new Float64Array(2 * this.capacity).fill(neutral);
  }

  protected abstract combine(a: number, b: number): number;

  private checkIndex(index: number, what: string): void {
    if (!(Number.isInteger(index) && index >= 0 && index < this.capacity)) {
      throw new DataError(`${this.constructor.name}: ${what} ${index} is outside [0, ${this.capacity})`);
    }
  }

  /** The value of leaf `index`. */
  get(index: number): number {
    this.checkIndex(index, 'index');
    return this.nodes[this.capacity + index] as number;
  }

  /** Sets leaf `index` to `value` and updates its ancestors. */
  set(index: number, value: number): void {
    this.checkIndex(index, 'index');
    const nodes = this.nodes;
    let node = this.capacity + index;
    nodes[node] = value;
    node >>= 1;
    while (node >= 1) {
      nodes[node] = this.combine(nodes[2 * node] as number, nodes[2 * node + 1] as number);
      node >>= 1;
    }
  }

  /** Sets leaves `[start, end)` to `value`, updating each ancestor once: O(end − start + log n). */
  fill(start: number, end: number, value: number): void {
    if (end <= start) return;
    this.checkIndex(start, 'start');
    this.checkIndex(end - 1, 'end - 1');
    const nodes = this.nodes;
    nodes.fill(value, this.capacity + start, this.capacity + end);
    this.recompute((this.capacity + start) >> 1, (this.capacity + end - 1) >> 1);
  }

  /** Recomputes the inner nodes `[lo, hi]` of one level and the ranges above them, up to the root. */
  private recompute(lo: number, hi: number): void {
    const nodes = this.nodes;
    for (; lo >= 1; lo >>= 1, hi >>= 1) {
      for (let node = lo; node <= hi; node++) {
        nodes[node] = this.combine(nodes[2 * node] as number, nodes[2 * node + 1] as number);
      }
    }
  }

  /** The combination of leaves `[start, end)` (the neutral value for an empty range). */
  protected reduce(start: number, end: number): number {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= this.capacity)) {
      throw new DataError(`${this.constructor.name}: range [${start}, ${end}) is outside [0, ${this.capacity}]`);
    }
    const nodes = this.nodes;
    let result = this.neutral;
    let lo = start + this.capacity;
    let hi = end + this.capacity;
    while (lo < hi) {
      if (lo & 1) result = this.combine(result, nodes[lo++] as number);
      if (hi & 1) result = this.combine(result, nodes[--hi] as number);
      lo >>= 1;
      hi >>= 1;
    }
    return result;
  }

  /** A copy of leaves `[0, count)`, e.g. for a checkpoint. */
  leaves(count = this.capacity): Float64Array {
    return this.nodes.slice(this.capacity, this.capacity + count);
  }

  /** Sets leaves `[0, values.length)` to `values` and the rest to the neutral value, rebuilding every inner node. */
  setLeaves(values: ArrayLike<number>): void {
    if (values.length > this.capacity) {
      throw new DataError(`${this.constructor.name}: ${values.length} leaves do not fit a tree of capacity ${this.capacity}`);
    }
    this.nodes.fill(this.neutral);
    this.nodes.set(values, this.capacity);
    this.recompute(this.capacity >> 1, this.capacity - 1);
  }
}

/** A segment tree of sums, with prefix-sum search for proportional sampling. */
export class SumSegmentTree extends SegmentTree {
  /** A tree of `size` leaves (rounded up to a power of two), all 0. */
  constructor(size: number) {
    super(size, 0);
  }

  protected combine(a: number, b: number): number {
    return a + b;
  }

  /** The sum of leaves `[start, end)`; the whole tree by default. */
  sum(start = 0, end = this.capacity): number {
    return start === 0 && end === this.capacity ? (this.nodes[1] as number) : this.reduce(start, end);
  }

  /**
   * The smallest index `i` with `sum(0, i + 1) > prefixSum`, for `prefixSum` in `[0, sum())`: a draw
   * `u·sum()` with `u` uniform in [0, 1) lands on leaf `i` with probability `leaf_i / sum()`.
   * (RLlib's `find_prefixsum_idx`.) A `prefixSum` at or beyond the total descends to the right.
   */
  findPrefixSumIndex(prefixSum: number): number {
    const nodes = this.nodes;
    let mass = prefixSum;
    let node = 1;
    while (node < this.capacity) {
      const left = nodes[2 * node] as number;
      if (left > mass) {
        node = 2 * node;
      } else {
        mass -= left;
        node = 2 * node + 1;
      }
    }
    return node - this.capacity;
  }
}

/** A segment tree of minima (empty leaves are +∞). */
export class MinSegmentTree extends SegmentTree {
  /** A tree of `size` leaves (rounded up to a power of two), all +∞. */
  constructor(size: number) {
    super(size, Number.POSITIVE_INFINITY);
  }

  protected combine(a: number, b: number): number {
    return Math.min(a, b);
  }

  /** The minimum of leaves `[start, end)`; the whole tree by default (+∞ when empty). */
  min(start = 0, end = this.capacity): number {
    return start === 0 && end === this.capacity ? (this.nodes[1] as number) : this.reduce(start, end);
  }
}
