import { ActionError, makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../register.js';
import { indexFromSlate, slateFromIndex } from './slateIndex.js';

describe('Discrete ↔ slate index mapping', () => {
  it('decodes least-significant position first (RLlib examples for C = 20, S = 2)', () => {
    const cases: Array<[number, number[]]> = [
      [0, [0, 0]],
      [7, [7, 0]],
      [20, [0, 1]],
      [45, [5, 2]],
      [399, [19, 19]],
    ];
    for (const [index, slate] of cases) {
      expect(Array.from(slateFromIndex(index, 20, 2))).toEqual(slate);
      expect(indexFromSlate(slate, 20)).toBe(index);
    }
  });

  it('round-trips every index for C = 20, S = 2 and C = 5, S = 3', () => {
    for (const [c, s] of [
      [20, 2],
      [5, 3],
    ] as const) {
      for (let a = 0; a < c ** s; a++) expect(indexFromSlate(slateFromIndex(a, c, s), c)).toBe(a);
    }
  });

  it('represents slates with repeated documents (C of the C^2 indices)', () => {
    let repeated = 0;
    for (let a = 0; a < 400; a++) {
      const slate = slateFromIndex(a, 20, 2);
      if (slate[0] === slate[1]) repeated += 1;
    }
    expect(repeated).toBe(20);
  });

  it('rejects slate positions outside the candidates', () => {
    expect(() => indexFromSlate([3, 20], 20)).toThrow(ActionError);
  });
});

describe('RecSimDiscreteActionWrapper', () => {
  it('steps the same episode as the slate it decodes to', () => {
    const config = { numCandidates: 6, slateSize: 2, seed: 4 };
    const discrete = makeEnv<unknown, number>('RecSim/InterestEvolution-v0', { ...config, convertToDiscreteActionSpace: true });
    const slate = makeEnv<unknown, Int32Array>('RecSim/InterestEvolution-v0', config);
    expect(discrete.actionSpace.toString()).toBe('Discrete(36)');
    discrete.reset();
    slate.reset();
    for (let t = 0; t < 30; t++) {
      const a = (t * 7) % 36;
      const d = discrete.step(a);
      const s = slate.step(slateFromIndex(a, 6, 2));
      expect(d.reward).toBe(s.reward);
      expect(d.obs).toEqual(s.obs);
      if (d.terminated) break;
    }
  });

  it('rejects an index outside Discrete(C^S)', () => {
    const env = makeEnv<unknown, number>('RecSim/LongTermSatisfaction-v0', { convertToDiscreteActionSpace: true });
    env.reset();
    expect(() => env.step(100)).toThrow(ActionError);
  });
});
