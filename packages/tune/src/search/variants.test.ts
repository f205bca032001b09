import { describe, expect, it } from 'vitest';
import { TuneError } from '../errors.js';
import { choice, gridSearch, loguniform, parseSearchSpace, randint, sampleFrom, uniform } from './space.js';
import { formatTagValue, generateVariants, mergeSpace } from './variants.js';

describe('generateVariants', () => {
  it('expands grids as Tune does: sorted paths, the first changing fastest, the whole grid repeated numSamples times', () => {
    const variants = generateVariants({ b: gridSearch(['x', 'y', 'z']), a: gridSearch([1, 2]) }, 2);
    expect(variants).toHaveLength(12);
    expect(variants.slice(0, 6).map((v) => [v.config.a, v.config.b])).toEqual([
      [1, 'x'],
      [2, 'x'],
      [1, 'y'],
      [2, 'y'],
      [1, 'z'],
      [2, 'z'],
    ]);
    expect(variants.slice(6).map((v) => [v.config.a, v.config.b])).toEqual(variants.slice(0, 6).map((v) => [v.config.a, v.config.b]));
    expect(variants.map((v) => v.experimentTag.split('_')[0])).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(variants[3]?.experimentTag).toBe('3_a=2,b=y');
  });

  it('tags floats with 4 decimals and makes other values path-safe', () => {
    const [v] = generateVariants({ lr: gridSearch([1e-5]), model: { fcnetHiddens: gridSearch([[64, 64]]) }, gamma: 0.99 }, 1);
    expect(v?.experimentTag).toBe('0_lr=0.0000,fcnetHiddens=64_64');
    expect(v?.evaluatedParams).toEqual({ 'model/fcnetHiddens': [64, 64], lr: 1e-5 });
    expect(v?.config).toEqual({ lr: 1e-5, model: { fcnetHiddens: [64, 64] }, gamma: 0.99 });
    expect(formatTagValue('CartPole-v1 (fast)')).toBe('CartPole-v1_fast');
  });

  it('samples random domains within their bounds, reproducibly for one searchSeed and differently for another', () => {
    const space = { lr: loguniform(1e-5, 1e-2), clip: uniform(0.1, 0.3), batch: randint(2, 5), act: choice(['tanh', 'relu']) };
    const a = generateVariants(space, 50, 7);
    expect(generateVariants(space, 50, 7)).toEqual(a);
    expect(generateVariants(space, 50, 8)).not.toEqual(a);
    for (const { config } of a) {
      expect(config.lr).toBeGreaterThanOrEqual(1e-5);
      expect(config.lr).toBeLessThan(1e-2);
      expect(config.clip).toBeGreaterThanOrEqual(0.1);
      expect([2, 3, 4]).toContain(config.batch);
      expect(['tanh', 'relu']).toContain(config.act);
    }
    expect(new Set(a.map((v) => v.config.batch))).toEqual(new Set([2, 3, 4]));
  });

  it('resolves sampleFrom from the values resolved for the same trial', () => {
    const variants = generateVariants({ a: gridSearch([1, 2]), b: sampleFrom(({ config }) => (config.a as number) * 10) }, 1);
    expect(variants.map((v) => v.config.b)).toEqual([10, 20]);
  });

  it('reads the JSON/YAML spellings and refuses eval strings', () => {
    const space = parseSearchSpace({
      lr: { grid_search: [1, 2] },
      model: { fcnetHiddens: { choice: [[8], [16]] } },
      x: { uniform: [0, 1] },
    });
    expect(generateVariants(space as Record<string, unknown>, 1)).toHaveLength(2);
    expect(() => parseSearchSpace({ lr: { eval: 'import os' } })).toThrow(/never evaluates code/);
    expect(() => parseSearchSpace({ lr: { uniform: [1] } })).toThrow(TuneError);
    expect(() => gridSearch([])).toThrow(/non-empty array/);
    expect(() => randint(1.5, 3)).toThrow(/integers/);
    expect(() => loguniform(0, 1)).toThrow(/0 < low/);
  });

  it('merges a nested space into a config without losing its other fields', () => {
    const merged = mergeSpace(
      { lr: 1, model: { fcnetHiddens: [4], vfShareLayers: false } },
      { model: { fcnetHiddens: gridSearch([[8]]) } },
    );
    expect(generateVariants(merged, 1)[0]?.config).toEqual({ lr: 1, model: { fcnetHiddens: [8], vfShareLayers: false } });
  });
});
