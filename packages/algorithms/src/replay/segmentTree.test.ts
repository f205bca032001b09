import { createRng, DataError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { MinSegmentTree, SumSegmentTree } from './segmentTree.js';

/** Both trees and a plain array, changed together by random sets and fills. */
function randomTrees(size: number, operations: number, seed: number): { sum: SumSegmentTree; min: MinSegmentTree; values: number[] } {
  const rng = createRng(seed, 'segmentTree');
  const sum = new SumSegmentTree(size);
  const min = new MinSegmentTree(size);
  const values = new Array<number>(size).fill(0);
  for (let i = 0; i < size; i++) {
    sum.set(i, 0);
    min.set(i, 0);
  }
  for (let op = 0; op < operations; op++) {
    const value = Math.round(rng.uniform(0, 10) * 100) / 100;
    if (rng.random() < 0.7) {
      const index = rng.int(size);
      sum.set(index, value);
      min.set(index, value);
      values[index] = value;
    } else {
      const start = rng.int(size);
      const end = start + rng.int(size - start + 1);
      sum.fill(start, end, value);
      min.fill(start, end, value);
      for (let i = start; i < end; i++) values[i] = value;
    }
  }
  return { sum, min, values };
}

describe('SumSegmentTree and MinSegmentTree', () => {
  it('round the capacity up to a power of two', () => {
    expect(new SumSegmentTree(1).capacity).toBe(1);
    expect(new SumSegmentTree(5).capacity).toBe(8);
    expect(new MinSegmentTree(8).capacity).toBe(8);
    expect(new MinSegmentTree(1_000_000).capacity).toBe(2 ** 20);
  });

  it('start empty: sums 0 and minima +Infinity', () => {
    expect(new SumSegmentTree(6).sum()).toBe(0);
    expect(new MinSegmentTree(6).min()).toBe(Number.POSITIVE_INFINITY);
    expect(new MinSegmentTree(6).min(2, 2)).toBe(Number.POSITIVE_INFINITY);
  });

  it('answer every range sum and minimum as a brute-force scan does, after random sets and fills', () => {
    const size = 13;
    const { sum, min, values } = randomTrees(size, 300, 7);
    for (let start = 0; start <= size; start++) {
      for (let end = start; end <= size; end++) {
        const slice = values.slice(start, end);
        expect(sum.sum(start, end)).toBeCloseTo(
          slice.reduce((a, b) => a + b, 0),
          9,
        );
        expect(min.min(start, end)).toBe(slice.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...slice));
      }
    }
    for (let i = 0; i < size; i++) expect(sum.get(i)).toBe(values[i]);
    // Leaves past the requested size stay empty.
    expect(sum.sum(size, sum.capacity)).toBe(0);
    expect(min.min(size, min.capacity)).toBe(Number.POSITIVE_INFINITY);
  });

  it('find the first index whose inclusive prefix sum exceeds the query, as a linear scan does', () => {
    const leaves = [0.5, 0, 2, 1.25, 0, 0, 3, 0.25];
    const tree = new SumSegmentTree(leaves.length);
    leaves.forEach((v, i) => {
      tree.set(i, v);
    });
    const linear = (mass: number): number => {
      let cumulative = 0;
      for (let i = 0; i < leaves.length; i++) {
        cumulative += leaves[i] as number;
        if (cumulative > mass) return i;
      }
      return leaves.length - 1;
    };
    const queries = [0, 0.25, 0.4999, 0.5, 2.4999, 2.5, 3.7499, 3.75, 6.7499, 6.75, 6.9, 6.9999];
    for (const q of queries) expect(tree.findPrefixSumIndex(q), `prefix sum ${q}`).toBe(linear(q));
    // A boundary belongs to the next positive leaf, never to an empty one.
    expect(tree.findPrefixSumIndex(0.5)).toBe(2);
    expect(tree.findPrefixSumIndex(3.75)).toBe(6);
  });

  it('draw each leaf with probability proportional to its value', () => {
    const leaves = [1, 0, 3, 6];
    const tree = new SumSegmentTree(leaves.length);
    leaves.forEach((v, i) => {
      tree.set(i, v);
    });
    const rng = createRng(3, 'draws');
    const draws = 100_000;
    const counts = [0, 0, 0, 0];
    for (let d = 0; d < draws; d++) {
      const index = tree.findPrefixSumIndex(rng.random() * tree.sum());
      counts[index] = (counts[index] as number) + 1;
    }
    expect(counts[1]).toBe(0);
    for (const i of [0, 2, 3]) {
      const p = (leaves[i] as number) / 10;
      const sd = Math.sqrt(draws * p * (1 - p));
      expect(Math.abs((counts[i] as number) - draws * p)).toBeLessThan(5 * sd);
    }
  });

  it('fill leaves the tree bit-identical to setting each leaf, and a rebuild from the leaves is bit-identical too', () => {
    const { sum, min, values } = randomTrees(37, 400, 11);
    const bySet = new SumSegmentTree(37);
    values.forEach((v, i) => {
      bySet.set(i, v);
    });
    const rebuiltSum = new SumSegmentTree(37);
    rebuiltSum.setLeaves(sum.leaves(37));
    const rebuiltMin = new MinSegmentTree(37);
    rebuiltMin.setLeaves(min.leaves(37));
    for (let start = 0; start <= 37; start += 3) {
      for (let end = start; end <= 64; end += 5) {
        expect(bySet.sum(start, end)).toBe(sum.sum(start, end));
        expect(rebuiltSum.sum(start, end)).toBe(sum.sum(start, end));
        expect(rebuiltMin.min(start, end)).toBe(min.min(start, end));
      }
    }
    expect(rebuiltSum.sum()).toBe(sum.sum());
    expect(rebuiltMin.min()).toBe(min.min());
  });

  it('reject indices and ranges outside the tree with a DataError naming them', () => {
    const tree = new SumSegmentTree(4);
    expect(() => tree.set(4, 1)).toThrow(DataError);
    expect(() => tree.set(4, 1)).toThrow('SumSegmentTree: index 4 is outside [0, 4)');
    expect(() => tree.get(-1)).toThrow('index -1 is outside');
    expect(() => tree.set(1.5, 1)).toThrow('index 1.5 is outside');
    expect(() => tree.sum(0, 5)).toThrow('range [0, 5) is outside [0, 4]');
    expect(() => new MinSegmentTree(0)).toThrow('integer size >= 1, got 0');
    expect(() => tree.setLeaves(new Float64Array(5))).toThrow('5 leaves do not fit a tree of capacity 4');
  });

  it('work with a single leaf', () => {
    const sum = new SumSegmentTree(1);
    const min = new MinSegmentTree(1);
    sum.set(0, 2.5);
    min.set(0, 2.5);
    expect(sum.sum()).toBe(2.5);
    expect(min.min()).toBe(2.5);
    expect(sum.findPrefixSumIndex(2)).toBe(0);
  });
});
