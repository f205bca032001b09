import { makeEnv, Rng } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../register.js';
import { meanAndStandardError as moments } from '../baselines/statistics.js';
import { IExpDocument, IExpDocumentSampler } from './documents.js';
import { resolveInterestExplorationConfig } from './env.js';
import { IExpUserModel, IExpUserSampler } from './user.js';

const params = resolveInterestExplorationConfig({});

describe('Interest Exploration', () => {
  it('draws topic 0 with probability 0.2 and quality LogNormal(μ_topic, 0.1)', () => {
    const sampler = new IExpDocumentSampler(params, new Rng('docs'));
    const logs: number[][] = [[], []];
    for (let i = 0; i < 40_000; i++) {
      const d = sampler.sampleDocument();
      logs[d.cluster]?.push(Math.log(d.quality));
    }
    expect(Math.abs((logs[0] as number[]).length / 40_000 - 0.2)).toBeLessThan(0.01);
    for (const [k, mu] of [
      [0, 0.8],
      [1, 0.2],
    ] as const) {
      const stats = moments(logs[k] as number[]);
      expect(Math.abs(stats.mean - mu)).toBeLessThan(0.005);
      expect(Math.abs(stats.std - 0.1)).toBeLessThan(0.005);
    }
  });

  it('draws user type 0 with probability 0.3 and affinities LogNormal(M[type], 0.1)', () => {
    const sampler = new IExpUserSampler(params, new Rng('users'));
    const byType: number[][][] = [[], []];
    for (let i = 0; i < 20_000; i++) {
      const u = sampler.sampleUser();
      byType[u.userType]?.push(Array.from(u.affinities, Math.log));
    }
    expect(Math.abs((byType[0] as number[][]).length / 20_000 - 0.3)).toBeLessThan(0.01);
    const M = [
      [0.1, 0.7],
      [0.7, 0.1],
    ];
    for (let t = 0; t < 2; t++) {
      for (let k = 0; k < 2; k++) {
        const stats = moments((byType[t] as number[][]).map((a) => a[k] as number));
        expect(Math.abs(stats.mean - (M[t]?.[k] as number))).toBeLessThan(0.005);
        expect(Math.abs(stats.std - 0.1)).toBeLessThan(0.005);
      }
    }
  });

  it('clicks with P(i) = e^{g[k_i] + q_i} / (Σ_j e^{g[k_j] + q_j} + e^5)', () => {
    const m = new IExpUserModel(2, new IExpUserSampler(params, new Rng('u')));
    const g = m.userState.affinities;
    const docs = [new IExpDocument(0, 0, 2.5), new IExpDocument(1, 1, 1.5)];
    const x = [(g[0] as number) + Math.fround(2.5), (g[1] as number) + Math.fround(1.5)];
    const z = Math.exp(x[0] as number) + Math.exp(x[1] as number) + Math.exp(5);
    const expected = [Math.exp(x[0] as number) / z, Math.exp(x[1] as number) / z, Math.exp(5) / z];
    const rng = new Rng('choice');
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const k = m.simulateResponse(docs, rng).findIndex((r) => r.clicked);
      const bucket = k === -1 ? 2 : k;
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    for (let i = 0; i < 3; i++) {
      expect(m.choiceModel.clickProbabilities[i]).toBeCloseTo(expected[i] as number, 12);
      expect(Math.abs((counts[i] as number) / 40_000 - (expected[i] as number))).toBeLessThan(0.01);
    }
  });

  it('never terminates, so the env truncates at its horizon (default 100)', () => {
    const env = makeEnv<unknown, Int32Array>('RecSim/InterestExploration-v0', {});
    env.reset({ seed: 0 });
    let last = { terminated: false, truncated: false };
    let steps = 0;
    while (!last.truncated && steps < 1000) {
      last = env.step(Int32Array.from([0, 1]));
      steps += 1;
      expect(last.terminated).toBe(false);
    }
    expect(steps).toBe(100);
    const short = makeEnv<unknown, Int32Array>('RecSim/InterestExploration-v0', { horizon: 5 });
    short.reset();
    for (let i = 1; i <= 5; i++) expect(short.step(Int32Array.from([0, 1])).truncated).toBe(i === 5);
  });

  it('rewards the number of clicks', () => {
    const env = makeEnv<unknown, Int32Array>('RecSim/InterestExploration-v0', { seed: 2 });
    env.reset();
    for (let i = 0; i < 50; i++) {
      const s = env.step(Int32Array.from([2, 3]));
      const clicks = (s.obs as { response: { click: number }[] }).response.reduce((a, r) => a + r.click, 0);
      expect(s.reward).toBe(clicks);
    }
  });
});
