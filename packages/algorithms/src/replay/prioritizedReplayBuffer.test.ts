import { CheckpointError, createRng, DataError, SampleBatch } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { PrioritizedReplayBuffer } from './prioritizedReplayBuffer.js';
import { ReplayBuffer } from './replayBuffer.js';

type Small = { readonly obs: Float32Array; readonly rewards: Float32Array };

/** Rows with ids `[first, first + count)`: obs [k, k] and reward k. */
function small(first: number, count: number): SampleBatch<Small> {
  const ids = Array.from({ length: count }, (_, r) => first + r);
  return new SampleBatch<Small>(
    count,
    { obs: 2, rewards: 1 },
    { obs: Float32Array.from(ids.flatMap((k) => [k, k])), rewards: Float32Array.from(ids) },
  );
}

/** Counts of each storage index over `draws` sampled rows. */
function drawCounts(buffer: PrioritizedReplayBuffer<Small>, draws: number, seed: number): number[] {
  const counts = new Array<number>(buffer.size).fill(0);
  for (const index of buffer.sample(draws, createRng(seed, 'prioritized')).columns.batchIndexes)
    counts[index] = (counts[index] as number) + 1;
  return counts;
}

/** RLlib's importance weight of row i: (N·P(i))^−β / max_j (N·P(j))^−β, by brute force over the priorities p. */
function bruteForceWeight(priorities: number[], alpha: number, beta: number, i: number): number {
  const scaled = priorities.map((p) => p ** alpha);
  const total = scaled.reduce((a, b) => a + b, 0);
  const n = priorities.length;
  const weights = scaled.map((s) => (n * (s / total)) ** -beta);
  return (weights[i] as number) / Math.max(...weights);
}

describe('PrioritizedReplayBuffer', () => {
  it('gives new rows the max priority seen so far, starting at 1, so a fresh buffer samples uniformly with weights 1', () => {
    const buffer = new PrioritizedReplayBuffer<Small>({ capacity: 8 });
    buffer.add(small(0, 4));
    expect(Array.from(buffer.getState().priorityLeaves)).toEqual([1, 1, 1, 1]);
    expect(Array.from(buffer.sample(16, createRng(1)).columns.weights)).toEqual(new Array(16).fill(1));
    buffer.updatePriorities([1], [3]);
    buffer.add(small(4, 2));
    const leaf = (3 + 1e-6) ** 0.6;
    expect(Array.from(buffer.getState().priorityLeaves)).toEqual([1, leaf, 1, 1, leaf, leaf]);
    expect(buffer.getState().maxPriority).toBe(3 + 1e-6);
  });

  it('sets priorities to |tdError| + eps and stores them raised to alpha', () => {
    const buffer = new PrioritizedReplayBuffer<Small>({ capacity: 4, prioritizedReplayAlpha: 0.5, prioritizedReplayEps: 0.01 });
    buffer.add(small(0, 4));
    buffer.updatePriorities(Int32Array.from([0, 2, 3]), Float32Array.from([-4, 0, 0.5]));
    expect(Array.from(buffer.getState().priorityLeaves)).toEqual([(4 + 0.01) ** 0.5, 1, 0.01 ** 0.5, (0.5 + 0.01) ** 0.5]);
    expect(buffer.getState().maxPriority).toBe(4.01);
  });

  it('draws rows with probability proportional to priority^alpha', () => {
    const alpha = 0.6;
    const buffer = new PrioritizedReplayBuffer<Small>({ capacity: 6, prioritizedReplayAlpha: alpha, prioritizedReplayEps: 0 });
    buffer.add(small(0, 5));
    const priorities = [1, 2, 3, 4, 10];
    buffer.updatePriorities([0, 1, 2, 3, 4], priorities);
    const draws = 100_000;
    const counts = drawCounts(buffer, draws, 2);
    const scaled = priorities.map((p) => p ** alpha);
    const total = scaled.reduce((a, b) => a + b, 0);
    counts.forEach((count, i) => {
      const p = (scaled[i] as number) / total;
      expect(Math.abs(count - draws * p), `row ${i}`).toBeLessThan(5 * Math.sqrt(draws * p * (1 - p)));
    });
  });

  it('returns importance weights (N·P(i))^-beta normalised by the largest over all stored rows', () => {
    const alpha = 0.7;
    const beta = 0.4;
    const buffer = new PrioritizedReplayBuffer<Small>({
      capacity: 16,
      prioritizedReplayAlpha: alpha,
      prioritizedReplayBeta: beta,
      prioritizedReplayEps: 0,
    });
    buffer.add(small(0, 6));
    const priorities = [0.5, 2, 0.1, 7, 1, 3];
    buffer.updatePriorities([0, 1, 2, 3, 4, 5], priorities);
    const sample = buffer.sample(200, createRng(5, 'weights'));
    const seen = new Set<number>();
    for (let r = 0; r < sample.count; r++) {
      const index = sample.columns.batchIndexes[r] as number;
      seen.add(index);
      expect(sample.columns.weights[r]).toBeCloseTo(bruteForceWeight(priorities, alpha, beta, index), 6);
      expect(sample.columns.rewards[r]).toBe(index);
    }
    expect(seen.size).toBe(6);
    // The least likely row has weight 1; every weight is at most 1.
    expect(Math.max(...sample.columns.weights)).toBeCloseTo(1, 6);
  });

  it('anneals beta linearly from prioritizedReplayBeta to finalPrioritizedReplayBeta and weights samples with it', () => {
    const buffer = new PrioritizedReplayBuffer<Small>({
      capacity: 4,
      prioritizedReplayBeta: 0.4,
      finalPrioritizedReplayBeta: 1,
      prioritizedReplayBetaAnnealingTimesteps: 1000,
      prioritizedReplayEps: 0,
    });
    expect(buffer.betaAt(0)).toBe(0.4);
    expect(buffer.betaAt(250)).toBeCloseTo(0.55, 12);
    expect(buffer.betaAt(1000)).toBe(1);
    expect(buffer.betaAt(5000)).toBe(1);
    expect(buffer.betaAt()).toBe(0.4);
    buffer.add(small(0, 3));
    const priorities = [1, 4, 9];
    buffer.updatePriorities([0, 1, 2], priorities);
    const sample = buffer.sample(50, createRng(8, 'anneal'), { timestep: 500 });
    for (let r = 0; r < sample.count; r++) {
      expect(sample.columns.weights[r]).toBeCloseTo(bruteForceWeight(priorities, 0.6, 0.7, sample.columns.batchIndexes[r] as number), 6);
    }
    expect(() => buffer.betaAt(Number.NaN)).toThrow('betaAt: timestep expected a finite number >= 0, got NaN');
    const immediate = new PrioritizedReplayBuffer({
      capacity: 2,
      finalPrioritizedReplayBeta: 0.9,
      prioritizedReplayBetaAnnealingTimesteps: 0,
    });
    expect(immediate.betaAt(0)).toBe(0.9);
  });

  it('keeps RLlib defaults: constant beta 0.4, alpha 0.6, eps 1e-6', () => {
    const buffer = new PrioritizedReplayBuffer();
    expect([buffer.alpha, buffer.beta, buffer.eps, buffer.finalBeta, buffer.betaAnnealingTimesteps, buffer.capacity]).toEqual([
      0.6, 0.4, 1e-6, 0.4, 20_000, 50_000,
    ]);
    expect(buffer.betaAt(10_000)).toBe(0.4);
  });

  it('samples uniformly with weights 1 when alpha is 0, whatever the priorities', () => {
    const buffer = new PrioritizedReplayBuffer<Small>({ capacity: 4, prioritizedReplayAlpha: 0 });
    buffer.add(small(0, 4));
    buffer.updatePriorities([0, 1, 2, 3], [0.1, 5, 50, 500]);
    const sample = buffer.sample(40_000, createRng(2, 'alpha0'));
    expect(sample.columns.weights.every((w) => w === 1)).toBe(true);
    const counts = [0, 0, 0, 0];
    for (const index of sample.columns.batchIndexes) counts[index] = (counts[index] as number) + 1;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(5 * Math.sqrt(40_000 * 0.25 * 0.75));
  });

  it('gives a row overwritten by the ring the max priority, forgetting the old row priority', () => {
    const buffer = new PrioritizedReplayBuffer<Small>({ capacity: 3, prioritizedReplayAlpha: 1, prioritizedReplayEps: 0 });
    buffer.add(small(0, 3));
    buffer.updatePriorities([0, 1, 2], [0.5, 2, 0.25]);
    buffer.add(small(3, 2)); // overwrites indices 0 and 1
    expect(Array.from(buffer.getState().priorityLeaves)).toEqual([2, 2, 0.25]);
    buffer.add(small(5, 5)); // from index 2, row by row: ids 5..9 at 2, 0, 1, 2, 0; every row at max priority
    expect(Array.from(buffer.getState().priorityLeaves)).toEqual([2, 2, 2]);
    expect(Array.from(buffer.getState().columns.rewards ?? [])).toEqual([9, 7, 8]);
  });

  it('rejects non-finite TD errors, foreign indices and zero priorities without changing any priority', () => {
    const buffer = new PrioritizedReplayBuffer<Small>({ capacity: 8, prioritizedReplayEps: 0 });
    buffer.add(small(0, 4));
    buffer.updatePriorities([0, 1], [2, 3]);
    const before = buffer.getState().priorityLeaves;
    expect(() => buffer.updatePriorities([2, 3], [1, Number.NaN])).toThrow(DataError);
    expect(() => buffer.updatePriorities([2, 3], [1, Number.NaN])).toThrow(
      'updatePriorities: tdErrors[1] = NaN gives priority NaN (|δ| + ε with ε = 0); expected a finite priority > 0',
    );
    expect(() => buffer.updatePriorities([2], [Number.POSITIVE_INFINITY])).toThrow('tdErrors[0] = Infinity');
    expect(() => buffer.updatePriorities([2, 3], [1, 0])).toThrow('tdErrors[1] = 0 gives priority 0');
    expect(() => buffer.updatePriorities([0, 4], [1, 1])).toThrow('batchIndexes[1] = 4 is not a stored row index in [0, 4)');
    expect(() => buffer.updatePriorities([0, 1], [1])).toThrow('updatePriorities: 2 batchIndexes but 1 tdErrors');
    expect(buffer.getState().priorityLeaves).toEqual(before);
  });

  it('restores rows, trees and max priority from its plain-data state and then draws bit-identical samples', () => {
    const original = new PrioritizedReplayBuffer<Small>({ capacity: 10, prioritizedReplayAlpha: 0.8 });
    original.add(small(0, 13));
    original.updatePriorities([0, 3, 5, 9], [0.3, 4, 1.5, 0.01]);
    const restored = new PrioritizedReplayBuffer<Small>({ capacity: 10, prioritizedReplayAlpha: 0.8 });
    restored.setState(structuredClone(original.getState()));
    const a = original.sample(64, createRng(12, 'restore'), { timestep: 100 });
    const b = restored.sample(64, createRng(12, 'restore'), { timestep: 100 });
    expect(b.columns).toEqual(a.columns);
    for (const buffer of [original, restored]) {
      buffer.updatePriorities(
        a.columns.batchIndexes,
        Float32Array.from(a.columns.weights, (w, i) => w * (i % 5)),
      );
      buffer.add(small(13, 4));
    }
    expect(restored.getState()).toEqual(original.getState());
    expect(restored.sample(64, createRng(13)).columns).toEqual(original.sample(64, createRng(13)).columns);
  });

  it('rejects a state of another kind or with bad priorities with a CheckpointError', () => {
    const source = new PrioritizedReplayBuffer<Small>({ capacity: 4 });
    source.add(small(0, 3));
    const state = source.getState();
    const target = new PrioritizedReplayBuffer<Small>({ capacity: 4 });
    const uniform = new ReplayBuffer<Small>({ capacity: 4 });
    uniform.add(small(0, 3));
    expect(() => target.setState(uniform.getState() as never)).toThrow(CheckpointError);
    expect(() => target.setState(uniform.getState() as never)).toThrow(
      'expected the state of a PrioritizedReplayBuffer, got one of kind ReplayBuffer',
    );
    expect(() => target.setState({ ...state, priorityLeaves: new Float64Array(2) })).toThrow(
      'priorityLeaves must be a Float64Array of 3 values',
    );
    expect(() => target.setState({ ...state, priorityLeaves: Float64Array.from([1, Number.NaN, 1]) })).toThrow(
      'priorityLeaves[1] = NaN is not finite and > 0',
    );
    expect(() => target.setState({ ...state, maxPriority: 0 })).toThrow('maxPriority 0 is not a finite number > 0');
    expect(() => target.setState({ ...state, capacity: 5 })).toThrow('saved with capacity 5, this buffer has capacity 4');
    expect(target.size).toBe(0);
  });

  it('never samples an empty leaf beyond the stored rows', () => {
    const buffer = new PrioritizedReplayBuffer<Small>({ capacity: 1000 });
    buffer.add(small(0, 3));
    buffer.updatePriorities([0, 1, 2], [1e-3, 2e-3, 1e6]);
    const sample = buffer.sample(20_000, createRng(21, 'edge'));
    expect(Math.max(...sample.columns.batchIndexes)).toBeLessThanOrEqual(2);
    expect(sample.columns.weights.every((w) => Number.isFinite(w) && w > 0 && w <= 1)).toBe(true);
  });
});
