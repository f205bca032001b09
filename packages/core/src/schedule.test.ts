import { describe, expect, it } from 'vitest';
import { scheduledValue } from './schedule.js';

describe('scheduledValue', () => {
  const schedule: [number, number][] = [
    [0, 1],
    [100, 0.5],
    [300, 0.1],
  ];
  it('interpolates linearly between points and holds the ends', () => {
    expect(scheduledValue(schedule, -5)).toBe(1);
    expect(scheduledValue(schedule, 50)).toBeCloseTo(0.75);
    expect(scheduledValue(schedule, 200)).toBeCloseTo(0.3);
    expect(scheduledValue(schedule, 1e6)).toBe(0.1);
  });
  it('rejects an empty schedule', () => {
    expect(() => scheduledValue([], 0)).toThrow(/at least one/);
  });
});
