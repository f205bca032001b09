import { describe, expect, it } from 'vitest';
import { ActionError, ConfigError, describeValue, didYouMean, EnvError, editDistance, LoomError, nearestName } from './errors.js';

describe('editDistance', () => {
  it('is 0 for equal strings and the length of the other for an empty string', () => {
    expect(editDistance('CartPole', 'CartPole')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abcd', '')).toBe(4);
    expect(editDistance('', '')).toBe(0);
  });

  it('counts one edit for each single insertion, deletion and substitution', () => {
    expect(editDistance('cat', 'cart')).toBe(1);
    expect(editDistance('cart', 'cat')).toBe(1);
    expect(editDistance('cat', 'cut')).toBe(1);
  });

  it('matches the textbook distances and is symmetric', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('sitting', 'kitten')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance('intention', 'execution')).toBe(5);
  });

  it('is case-sensitive', () => {
    expect(editDistance('Pole', 'pole')).toBe(1);
  });
});

describe('nearestName / didYouMean', () => {
  const envIds = ['CartPole-v1', 'Pendulum-v1', 'MountainCar-v0', 'Acrobot-v1'];

  it('suggests the closest candidate for a typo, ignoring case', () => {
    expect(nearestName('CartPol-v1', envIds)).toBe('CartPole-v1');
    expect(nearestName('cartpole-v1', envIds)).toBe('CartPole-v1');
    expect(nearestName('Pendulum-v0', envIds)).toBe('Pendulum-v1');
  });

  it('returns undefined when nothing is close enough to be a typo', () => {
    expect(nearestName('RecSimInterestEvolution', envIds)).toBeUndefined();
    expect(nearestName('x', [])).toBeUndefined();
  });

  it('allows at least two edits for short names and a third of the length for long ones', () => {
    expect(nearestName('ab', ['abcd'])).toBe('abcd');
    expect(nearestName('ab', ['abcde'])).toBeUndefined();
    // 12 characters: up to 4 edits
    expect(nearestName('numSgdIters!', ['numSgdIter'])).toBe('numSgdIter');
    expect(nearestName('lrSchedulexx', ['lr'])).toBeUndefined();
  });

  it('keeps the first of equally near candidates', () => {
    expect(nearestName('ab', ['ac', 'ad'])).toBe('ac');
  });

  it('accepts any iterable of candidates', () => {
    expect(nearestName('gamme', new Set(['gamma', 'lambda']))).toBe('gamma');
  });

  it('didYouMean quotes the suggestion, or is empty when there is none', () => {
    expect(didYouMean('gamme', ['gamma', 'lambda'])).toBe(' Did you mean "gamma"?');
    expect(didYouMean('somethingElse', ['gamma', 'lambda'])).toBe('');
  });
});

describe('describeValue', () => {
  it('quotes strings so "1" and 1 stay distinguishable', () => {
    expect(describeValue('1')).toBe('"1"');
    expect(describeValue(1)).toBe('1');
    expect(describeValue('')).toBe('""');
  });

  it('renders primitives, null and undefined as themselves', () => {
    expect(describeValue(true)).toBe('true');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(-Infinity)).toBe('-Infinity');
    expect(describeValue(2.5)).toBe('2.5');
  });

  it('names the typed array class and lists its entries', () => {
    expect(describeValue(new Float32Array([1, 2.5]))).toBe('Float32Array[1, 2.5]');
    expect(describeValue(new Int32Array([3]))).toBe('Int32Array[3]');
  });

  it('renders arrays and plain objects as JSON', () => {
    expect(describeValue([1, 2])).toBe('[1,2]');
    expect(describeValue({ a: 1, b: 'x' })).toBe('{"a":1,"b":"x"}');
  });

  it('keeps NaN and infinities visible inside arrays and objects instead of printing null', () => {
    const text = describeValue([Number.NaN, 1, Infinity]);
    expect(text).toContain('NaN');
    expect(text).toContain('Infinity');
    expect(text).not.toContain('null');
    expect(describeValue({ x: -Infinity })).toContain('-Infinity');
    // a real null still reads as null
    expect(describeValue([null])).toBe('[null]');
  });

  it('shortens long values to at most 200 characters', () => {
    const long = describeValue(Array.from({ length: 1000 }, (_, i) => i));
    expect(long.length).toBe(200);
    expect(long.endsWith('...')).toBe(true);
    const longTyped = describeValue(new Float64Array(10_000).fill(0.125));
    expect(longTyped.length).toBeLessThanOrEqual(200);
    expect(longTyped.startsWith('Float64Array[0.125, 0.125')).toBe(true);
  });

  it('never throws, even for cycles, BigInts, functions and symbols', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => describeValue(cyclic)).not.toThrow();
    expect(describeValue(cyclic)).toBe('[object Object]');
    expect(() => describeValue(10n)).not.toThrow();
    expect(() => describeValue(() => 1)).not.toThrow();
    expect(() => describeValue(Symbol('s'))).not.toThrow();
    expect(typeof describeValue(() => 1)).toBe('string');
  });
});

describe('error classes', () => {
  it('carry a stable code, their own name and the cause', () => {
    const cause = new Error('root');
    const cases: Array<[LoomError, string, string]> = [
      [new ConfigError('bad', { cause }), 'CONFIG_INVALID', 'ConfigError'],
      [new EnvError('bad', { cause }), 'ENV_INVALID', 'EnvError'],
      [new ActionError('bad', { cause }), 'ACTION_INVALID', 'ActionError'],
    ];
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(LoomError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(error.message).toBe('bad');
      expect(error.cause).toBe(cause);
    }
  });
});
