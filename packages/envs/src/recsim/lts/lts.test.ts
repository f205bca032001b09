import { Rng } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { meanAndStandardError as moments } from '../baselines/statistics.js';
import { LTSDocument, LTSDocumentSampler } from './documents.js';
import { createLongTermSatisfactionCore, resolveLongTermSatisfactionConfig } from './env.js';
import { LTSUserModel, LTSUserSampler, ltsEngagementParameters, sigmoid } from './user.js';

function model(envConfig: Record<string, unknown> = {}, seed = 'lts') {
  const params = resolveLongTermSatisfactionConfig(envConfig);
  return new LTSUserModel(2, new LTSUserSampler(params, new Rng(`${seed}/user`)));
}

describe('Long Term Satisfaction', () => {
  it('draws clickbait scores uniformly in [0, 1)', () => {
    const sampler = new LTSDocumentSampler(new Rng('docs'));
    const scores = Array.from({ length: 20_000 }, () => sampler.sampleDocument().clickbaitScore);
    const { mean, std } = moments(scores);
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...scores)).toBeLessThan(1);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(std).toBeCloseTo(Math.sqrt(1 / 12), 2);
  });

  it('numbers documents with a counter that continues across samples', () => {
    const sampler = new LTSDocumentSampler(new Rng('ids'));
    expect([0, 1, 2].map(() => sampler.sampleDocument().id)).toEqual([0, 1, 2]);
  });

  it('starts users at NPE = (u − 0.5)/(1 − γ) with satisfaction σ(β·NPE)', () => {
    const params = resolveLongTermSatisfactionConfig({ sensitivity: 0.3 });
    const rng = new Rng('npe');
    const expectedU = new Rng('npe').random();
    const user = new LTSUserSampler(params, rng).sampleUser();
    expect(user.netPositiveExposure).toBeCloseTo((expectedU - 0.5) / 0.3, 12);
    expect(user.satisfaction).toBeCloseTo(sigmoid(0.3 * user.netPositiveExposure), 12);
    expect(user.timeBudget).toBe(60);
  });

  it('always consumes slate position 0 and ignores the others', () => {
    const m = model();
    const docs = [new LTSDocument(0, 0.2), new LTSDocument(1, 0.9)];
    const responses = m.simulateResponse(docs, new Rng('click'));
    expect(responses.map((r) => r.clicked)).toEqual([true, false]);
    expect(responses[1]?.engagement).toBe(0);
  });

  it('draws engagement as exp(N(loc, scale)) with loc = SAT·(c·μc + (1−c)·μk), scale = c·σc + (1−c)·σk', () => {
    const m = model({ chocStddev: 0.5, kaleStddev: 0.2 });
    m.userState.satisfaction = 0.7;
    const c = 0.3;
    const { loc, scale } = ltsEngagementParameters(m.userState.params, 0.7, c);
    expect(loc).toBeCloseTo(0.7 * (0.3 * 5 + 0.7 * 4), 12);
    expect(scale).toBeCloseTo(0.3 * 0.5 + 0.7 * 0.2, 12);
    const rng = new Rng('engagement');
    const logs = Array.from({ length: 40_000 }, () => Math.log(m.simulateResponse([new LTSDocument(0, c)], rng)[0]?.engagement as number));
    const stats = moments(logs);
    expect(Math.abs(stats.mean - loc)).toBeLessThan(0.01);
    expect(Math.abs(stats.std - scale)).toBeLessThan(0.01);
  });

  it('updates NPE ← γ·NPE − 2(c − 0.5) + ε, SAT ← σ(β·NPE), budget − 1 (exact without noise)', () => {
    const m = model({ innovationStddev: 0, sensitivity: 0.2 });
    const user = m.userState;
    user.netPositiveExposure = 1.5;
    const docs = [new LTSDocument(0, 0.9), new LTSDocument(1, 0.1)];
    m.updateState(docs, m.simulateResponse(docs, new Rng('u')), new Rng('u2'));
    const npe = 0.7 * 1.5 - 2 * (0.9 - 0.5);
    expect(user.netPositiveExposure).toBeCloseTo(npe, 12);
    expect(user.satisfaction).toBeCloseTo(sigmoid(0.2 * npe), 12);
    expect(user.timeBudget).toBe(59);
  });

  it('adds exposure noise with standard deviation σε', () => {
    const m = model({ innovationStddev: 0.3 });
    const rng = new Rng('noise');
    const doc = [new LTSDocument(0, 0.5)];
    const innovations: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      m.userState.netPositiveExposure = 0;
      m.updateState(doc, m.simulateResponse(doc, rng), rng);
      innovations.push(m.userState.netPositiveExposure);
    }
    const stats = moments(innovations);
    expect(Math.abs(stats.mean)).toBeLessThan(0.01);
    expect(Math.abs(stats.std - 0.3)).toBeLessThan(0.01);
  });

  it('rewards unclipped engagement but clips the observed engagement at 100', () => {
    const env = createLongTermSatisfactionCore(
      resolveLongTermSatisfactionConfig({ chocMean: 20, kaleMean: 20, sensitivity: 10, slateSize: 1 }),
    );
    env.reset({ seed: 1 });
    const step = env.step([0]);
    expect(step.reward).toBeGreaterThan(100);
    expect((step.obs.response[0] as { engagement: Float32Array }).engagement[0]).toBe(100);
  });

  it('ends every episode after exactly timeBudget steps without truncation', () => {
    const env = createLongTermSatisfactionCore(resolveLongTermSatisfactionConfig({ timeBudget: 7 }));
    env.reset({ seed: 3 });
    for (let t = 1; t <= 7; t++) {
      const s = env.step([t % 10, 0]);
      expect(s.terminated).toBe(t === 7);
      expect(s.truncated).toBe(false);
    }
  });

  it('observes satisfaction only when asked to', () => {
    const hidden = createLongTermSatisfactionCore(resolveLongTermSatisfactionConfig({}));
    const shown = createLongTermSatisfactionCore(resolveLongTermSatisfactionConfig({ observeSatisfaction: true }));
    expect(hidden.reset().obs.user.length).toBe(0);
    const obs = shown.reset().obs.user;
    expect(obs.length).toBe(1);
    expect(obs[0]).toBeCloseTo(shown.environment.userModel.userState.satisfaction, 6);
  });
});
