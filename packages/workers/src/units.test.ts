import { describe, expect, it } from 'vitest';
import { splitDuration } from './evaluationSplit.js';
import { WeightBroadcast } from './weightBroadcast.js';

describe('splitDuration', () => {
  it('spreads a duration evenly, the first workers taking one more', () => {
    expect(splitDuration(10, 3)).toEqual([4, 3, 3]);
    expect(splitDuration(1, 3)).toEqual([1, 0, 0]);
  });
  it('names the bad value', () => {
    expect(() => splitDuration(2.5, 2)).toThrow(/duration must be an integer >= 0, got 2.5/);
    expect(() => splitDuration(2, 0)).toThrow(/numWorkers must be an integer >= 1, got 0/);
  });
});

describe('WeightBroadcast', () => {
  it('writes weights once into a shared buffer and hands out private copies of the newest version', () => {
    const broadcast = new WeightBroadcast();
    expect(broadcast.copyForOne()).toBeNull();
    const message = broadcast.publish(Float32Array.of(1, 2, 3), 4);
    expect(message.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...new Float32Array(message.buffer, 0, message.length)]).toEqual([1, 2, 3]);
    const copy = broadcast.copyForOne();
    expect(copy?.version).toBe(4);
    expect(copy?.buffer).toBeInstanceOf(ArrayBuffer);
    expect(broadcast.version).toBe(4);
  });
});
