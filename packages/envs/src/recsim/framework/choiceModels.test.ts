import { ConfigError, EnvError, Rng } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { cascadeProbabilities, ExponentialCascadeChoiceModel, ProportionalCascadeChoiceModel } from './cascadeModels.js';
import { NO_CLICK, sampleCategorical } from './choiceModel.js';
import { MultinomialLogitChoiceModel, MultinomialProportionalChoiceModel } from './multinomialModels.js';
import type { RecUserState } from './user.js';

/** A user whose score of a document observation is the observation itself. */
const identityUser: RecUserState<null, number> = { observation: () => null, scoreDocument: (x) => x };

function empiricalFrequencies(model: { chooseItem(rng: Rng): number }, slate: number, draws: number, seed: string): number[] {
  const rng = new Rng(seed);
  const counts = new Array<number>(slate + 1).fill(0);
  for (let i = 0; i < draws; i++) {
    const c = model.chooseItem(rng);
    const bucket = c === NO_CLICK ? slate : c;
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return counts.map((c) => c / draws);
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i] as number, digits);
}

describe('MultinomialLogitChoiceModel', () => {
  it('gives softmax probabilities with the no-click logit as the last entry', () => {
    const model = new MultinomialLogitChoiceModel({ noClickMass: 0.5 });
    const x = [1, 2, -1];
    const z = Math.exp(1) + Math.exp(2) + Math.exp(-1) + Math.exp(0.5);
    expectClose(model.probabilities(x), [Math.exp(1) / z, Math.exp(2) / z, Math.exp(-1) / z, Math.exp(0.5) / z]);
  });

  it('never leaves the user without a click under the default no-click mass of minus infinity', () => {
    const model = new MultinomialLogitChoiceModel();
    const p = model.probabilities([0.3, -4]);
    expect(p[2]).toBe(0);
    expect((p[0] as number) + (p[1] as number)).toBeCloseTo(1, 15);
  });

  it('stays finite for huge scores thanks to max subtraction', () => {
    const p = new MultinomialLogitChoiceModel({ noClickMass: 5 }).probabilities([1000, 999]);
    expect(Array.from(p).every(Number.isFinite)).toBe(true);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  it('draws clicks with the computed frequencies', () => {
    const model = new MultinomialLogitChoiceModel({ noClickMass: 1 });
    model.scoreDocuments(identityUser, [0.5, 1.5, 0]);
    const freq = empiricalFrequencies(model, 3, 40_000, 'mnl');
    for (let i = 0; i < 4; i++) expect(Math.abs((freq[i] as number) - (model.clickProbabilities[i] as number))).toBeLessThan(0.01);
  });
});

describe('MultinomialProportionalChoiceModel', () => {
  it('gives weights score minus min normalizer and no-click weight no-click mass minus min normalizer', () => {
    const model = new MultinomialProportionalChoiceModel({ minNormalizer: -1, noClickMass: 1 });
    const p = model.probabilities([0.5, -0.5]);
    const total = 1.5 + 0.5 + 2;
    expectClose(p, [1.5 / total, 0.5 / total, 2 / total]);
  });

  it('defaults the no-click mass to 0', () => {
    const p = new MultinomialProportionalChoiceModel({ minNormalizer: -2 }).probabilities([0]);
    expectClose(p, [0.5, 0.5]);
  });

  it('rejects a score below the min normalizer and a missing min normalizer', () => {
    expect(() => new MultinomialProportionalChoiceModel({ minNormalizer: 0 }).probabilities([-0.1])).toThrow(EnvError);
    expect(() => new MultinomialProportionalChoiceModel({} as never)).toThrow(ConfigError);
  });

  it('draws clicks with the computed frequencies', () => {
    const model = new MultinomialProportionalChoiceModel({ minNormalizer: -1, noClickMass: 1 });
    model.scoreDocuments(identityUser, [0.9, -0.2]);
    const freq = empiricalFrequencies(model, 2, 40_000, 'prop');
    for (let i = 0; i < 3; i++) expect(Math.abs((freq[i] as number) - (model.clickProbabilities[i] as number))).toBeLessThan(0.01);
  });
});

describe('cascade choice models', () => {
  it('walk the slate in order: a·v_i·Π_{j<i}(1 − a·v_j), no click Π_j(1 − a·v_j)', () => {
    const p = cascadeProbabilities([0.5, 0.4, 0.2], 0.8);
    const a = [0.4, 0.32, 0.16];
    expectClose(p, [a[0] as number, 0.6 * 0.32, 0.6 * 0.68 * 0.16, 0.6 * 0.68 * 0.84]);
    expect(Array.from(p).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15);
  });

  it('use v = scaling·exp(score) in the exponential cascade', () => {
    const model = new ExponentialCascadeChoiceModel({ attentionProb: 0.65, scoreScaling: 0.05 });
    const v = [0.05 * Math.exp(1), 0.05 * Math.exp(-1)];
    expectClose(model.probabilities([1, -1]), Array.from(cascadeProbabilities(v, 0.65)));
  });

  it('use v = scaling·(score − min normalizer) in the proportional cascade', () => {
    const model = new ProportionalCascadeChoiceModel({ attentionProb: 1, scoreScaling: 0.25, minNormalizer: -1 });
    expectClose(model.probabilities([1, 0]), [0.5, 0.5 * 0.25, 0.5 * 0.75]);
  });

  it('default the attention probability to 1', () => {
    expect(new ExponentialCascadeChoiceModel({ scoreScaling: 0.1 }).attentionProb).toBe(1);
  });

  it('reject propensities above 1, scores below the normalizer and bad options', () => {
    expect(() => new ExponentialCascadeChoiceModel({ scoreScaling: 1 }).probabilities([0.5])).toThrow(EnvError);
    expect(() => new ProportionalCascadeChoiceModel({ scoreScaling: 1, minNormalizer: 0 }).probabilities([-1])).toThrow(EnvError);
    expect(() => new ExponentialCascadeChoiceModel({ scoreScaling: 0.1, attentionProb: 1.5 })).toThrow(/attentionProb/);
    expect(() => new ExponentialCascadeChoiceModel({ scoreScaling: -1 })).toThrow(/scoreScaling/);
  });

  it('sample with a single categorical draw matching the cascade probabilities', () => {
    const model = new ExponentialCascadeChoiceModel({ attentionProb: 0.9, scoreScaling: 0.2 });
    model.scoreDocuments(identityUser, [1, 0.5, 0]);
    const freq = empiricalFrequencies(model, 3, 40_000, 'cascade');
    for (let i = 0; i < 4; i++) expect(Math.abs((freq[i] as number) - (model.clickProbabilities[i] as number))).toBeLessThan(0.01);
  });
});

describe('sampleCategorical', () => {
  it('uses exactly one uniform draw per sample', () => {
    const a = new Rng('one-draw');
    const b = new Rng('one-draw');
    sampleCategorical([0.2, 0.8], a);
    b.random();
    expect(a.random()).toBe(b.random());
  });

  it('never returns an entry of probability zero', () => {
    const rng = new Rng('zeros');
    for (let i = 0; i < 1000; i++) expect(sampleCategorical([0, 0.5, 0, 0.5, 0], rng)).toSatisfy((k: number) => k === 1 || k === 3);
  });
});
