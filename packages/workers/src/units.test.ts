import { describe, expect, it } from 'vitest';
import { splitDuration } from './evaluationSplit.js';
import { StateBroadcast, unpackState } from './stateBroadcast.js';

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

describe('StateBroadcast', () => {
  it('writes every module tensor once into a shared buffer, 8-aligned, and hands out private copies of the newest version', () => {
    const broadcast = new StateBroadcast();
    expect(broadcast.copyForOne()).toBeNull();
    const arms = Float64Array.of(0.5, -2);
    const message = broadcast.publish({ version: 4, timestep: 9, modules: { default: { policy: Float32Array.of(1, 2, 3), arms } } });
    expect(message.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(message.slots.map((slot) => slot.offset % 8)).toEqual([0, 0]);
    const views = unpackState(message);
    expect([...(views.modules.default?.policy ?? [])]).toEqual([1, 2, 3]);
    expect(views.modules.default?.arms).toBeInstanceOf(Float64Array);
    expect([...(views.modules.default?.arms ?? [])]).toEqual([0.5, -2]);
    const copy = broadcast.copyForOne();
    expect(copy?.version).toBe(4);
    expect(copy?.timestep).toBe(9);
    expect(copy?.buffer).toBeInstanceOf(ArrayBuffer);
    expect([...(unpackState(copy as NonNullable<typeof copy>).modules.default?.arms ?? [])]).toEqual([0.5, -2]);
    expect(broadcast.version).toBe(4);
  });
});
