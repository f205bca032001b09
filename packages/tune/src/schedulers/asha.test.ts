import { describe, expect, it } from 'vitest';
import { ASHAScheduler, nanPercentile, schedulerFromName } from './asha.js';

describe('ASHAScheduler', () => {
  it("puts rungs at grace · rf^k below maxT (Ray's example: 1, 4, 16, 64)", () => {
    expect(new ASHAScheduler({ metric: 'r', mode: 'max', maxT: 100, gracePeriod: 1, reductionFactor: 4 }).milestones).toEqual([
      1, 4, 16, 64,
    ]);
  });

  it('lets the first trial at a rung go on and stops later ones below the (1 - 1/rf) quantile', () => {
    const asha = new ASHAScheduler({ metric: 'r', mode: 'max', maxT: 8, gracePeriod: 2, reductionFactor: 2 });
    const at = (id: string, t: number, r: number) => asha.onResult(id, { trainingIteration: t, r });
    expect(at('a', 1, 0)).toBe('CONTINUE');
    expect(at('a', 2, 10)).toBe('CONTINUE'); // first at rung 2
    expect(at('b', 2, 5)).toBe('STOP'); // below the median of [10]
    expect(at('c', 2, 12)).toBe('CONTINUE');
    expect(at('a', 4, 20)).toBe('CONTINUE'); // first at rung 4
    expect(at('c', 4, 30)).toBe('CONTINUE'); // above the median of [20]
    expect(at('a', 8, 1)).toBe('STOP'); // maxT reached
    expect(asha.describe()).toBe('Using AsyncHyperBand: num_stopped=2');
  });

  it('negates the metric for mode min and evaluates only the highest rung reached', () => {
    const asha = new ASHAScheduler({ metric: 'loss', mode: 'min', maxT: 100, gracePeriod: 1, reductionFactor: 2 });
    expect(asha.onResult('a', { trainingIteration: 4, loss: 1 })).toBe('CONTINUE');
    expect(asha.onResult('b', { trainingIteration: 4, loss: 2 })).toBe('STOP');
    expect(asha.onResult('c', { trainingIteration: 4, loss: 0.5 })).toBe('CONTINUE');
  });

  it('restores its rungs from saved state', () => {
    const a = new ASHAScheduler({ metric: 'r', mode: 'max', maxT: 8, gracePeriod: 2, reductionFactor: 2 });
    a.onResult('a', { trainingIteration: 2, r: 10 });
    const b = new ASHAScheduler({ metric: 'r', mode: 'max', maxT: 8, gracePeriod: 2, reductionFactor: 2 });
    b.setState(structuredClone(a.getState()));
    expect(b.onResult('b', { trainingIteration: 2, r: 5 })).toBe('STOP');
  });

  it('rejects bad options and conflicting metrics by name', () => {
    expect(() => new ASHAScheduler({ reductionFactor: 1 })).toThrow(/reductionFactor/);
    expect(() => new ASHAScheduler({ metric: 'a', mode: 'max' }).setDefaults('b', 'max')).toThrow(/"a".*"b"/);
    expect(() => new ASHAScheduler().setDefaults(undefined, undefined)).toThrow(/needs a metric/);
    expect(() => schedulerFromName('pbt')).toThrow(/Unknown scheduler "pbt"/);
    expect(schedulerFromName('asha', { grace_period: 3, metric: 'r', mode: 'max' })).toBeInstanceOf(ASHAScheduler);
  });

  it('computes percentiles like numpy (linear, NaN ignored)', () => {
    expect(nanPercentile([1, 2, 3, 4], 75)).toBeCloseTo(3.25);
    expect(nanPercentile([Number.NaN, 10], 50)).toBe(10);
  });
});
