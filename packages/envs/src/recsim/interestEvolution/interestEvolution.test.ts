import { Rng } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { meanAndStandardError as moments } from '../baselines/statistics.js';
import { IEV_CLUSTER_QUALITY_MEANS } from './config.js';
import { IEvVideo, IEvVideoSampler } from './documents.js';
import { resolveInterestEvolutionConfig } from './env.js';
import { IEvUserModel, IEvUserSampler, ievInterestStepSize } from './user.js';

const params = resolveInterestEvolutionConfig({});

function model(seed = 'iev'): IEvUserModel {
  return new IEvUserModel(2, new IEvUserSampler(params, new Rng(seed)));
}

function video(id: number, cluster: number, quality: number): IEvVideo {
  return new IEvVideo(id, cluster, 20, quality, 4);
}

describe('Interest Evolution', () => {
  it('has 14 trashy cluster means from −3 to 0 then 6 nutritious ones from 0 to 3', () => {
    expect(IEV_CLUSTER_QUALITY_MEANS).toHaveLength(20);
    expect(IEV_CLUSTER_QUALITY_MEANS[0]).toBe(-3);
    expect(IEV_CLUSTER_QUALITY_MEANS[1]).toBeCloseTo(-2.769, 3);
    expect(IEV_CLUSTER_QUALITY_MEANS[13]).toBeCloseTo(0, 12);
    expect(IEV_CLUSTER_QUALITY_MEANS[14]).toBe(0);
    expect(IEV_CLUSTER_QUALITY_MEANS[15]).toBeCloseTo(0.6, 12);
    expect(IEV_CLUSTER_QUALITY_MEANS[19]).toBeCloseTo(3, 12);
  });

  it('draws clusters uniformly, one-hot features and quality ~ N(mean[cluster], 0.1)', () => {
    const sampler = new IEvVideoSampler(params, new Rng('videos'));
    const counts = new Array<number>(20).fill(0);
    const residuals: number[] = [];
    for (let i = 0; i < 40_000; i++) {
      const v = sampler.sampleDocument();
      counts[v.cluster] = (counts[v.cluster] ?? 0) + 1;
      residuals.push(v.quality - (IEV_CLUSTER_QUALITY_MEANS[v.cluster] as number));
      expect(v.observation().reduce((s, x) => s + x, 0)).toBe(1);
      expect(v.observation()[v.cluster]).toBe(1);
    }
    for (const c of counts) expect(Math.abs(c / 40_000 - 0.05)).toBeLessThan(0.006);
    const stats = moments(residuals);
    expect(Math.abs(stats.mean)).toBeLessThan(0.003);
    expect(Math.abs(stats.std - 0.1)).toBeLessThan(0.003);
  });

  it('draws interests uniformly in [−1, 1)', () => {
    const sampler = new IEvUserSampler(params, new Rng('users'));
    const values = Array.from({ length: 2000 }, () => Array.from(sampler.sampleUser().interests)).flat();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(moments(values).mean).toBeCloseTo(0, 1);
  });

  it('clicks position i with probability (u[c_i] + 1)/(Σ_j (u[c_j] + 1) + 2), a duplicate counting twice', () => {
    const m = model();
    m.userState.interests.fill(0);
    m.userState.interests[3] = 0.6;
    m.userState.interests[7] = -0.4;
    const docs = [video(0, 3, 0), video(1, 7, 0)];
    const total = 1.6 + 0.6 + 2;
    const expected = [1.6 / total, 0.6 / total, 2 / total];
    const rng = new Rng('clicks');
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const r = m.simulateResponse(docs, rng);
      const k = r.findIndex((x) => x.clicked);
      const bucket = k === -1 ? 2 : k;
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    for (let i = 0; i < 3; i++) expect(Math.abs((counts[i] as number) / 40_000 - (expected[i] as number))).toBeLessThan(0.01);
    m.simulateResponse([docs[0] as IEvVideo, docs[0] as IEvVideo], rng);
    expect(Array.from(m.choiceModel.clickProbabilities)).toEqual([1.6 / 5.2, 1.6 / 5.2, 2 / 5.2]);
  });

  it('reveals quality and cluster for every shown position and watch time min(budget, 4) for the click', () => {
    const m = model();
    m.userState.interests.fill(1);
    m.userState.timeBudget = 2.5;
    const rng = new Rng('watch');
    for (let i = 0; i < 50; i++) {
      const responses = m.simulateResponse([video(0, 1, -0.3), video(1, 2, 0.7)], rng);
      expect(responses.map((r) => [r.quality, r.cluster])).toEqual([
        [-0.3, 1],
        [0.7, 2],
      ]);
      for (const r of responses) expect(r.watchTime).toBe(r.clicked ? 2.5 : 0);
    }
  });

  it('charges the step penalty when nothing is clicked', () => {
    const m = model();
    const docs = [video(0, 1, 0)];
    m.updateState(docs, [{ clicked: false, watchTime: 0, quality: 0, cluster: 1 } as never], new Rng('x'));
    expect(m.userState.timeBudget).toBe(200 - 0.5);
  });

  it('updates the budget by −w + α·w·quality after a click', () => {
    const m = model();
    const docs = [video(0, 5, 1.7)];
    m.updateState(docs, [{ clicked: true, watchTime: 4, quality: 1.7, cluster: 5 } as never], new Rng('b'));
    expect(m.userState.timeBudget).toBeCloseTo(200 - 4 + (0.9 / 3.4) * 4 * 1.7, 12);
  });

  it('moves only the clicked cluster by ±α(u)(1 − u), up with probability (u + 1)/2, then clips', () => {
    const u0 = 0.4;
    const step = ievInterestStepSize(params, u0) * (1 - u0);
    expect(ievInterestStepSize(params, u0)).toBeCloseTo(0.3 * (1 - 0.4), 12);
    const m = model();
    const rng = new Rng('flips');
    const docs = [video(0, 9, 0)];
    let ups = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      m.userState.interests.fill(0.1);
      m.userState.interests[9] = u0;
      m.updateState(docs, [{ clicked: true, watchTime: 4, quality: 0, cluster: 9 } as never], rng);
      const after = m.userState.interests[9] as number;
      if (Math.abs(after - (u0 + step)) < 1e-12) ups += 1;
      else expect(after).toBeCloseTo(u0 - step, 12);
      expect(m.userState.interests[8]).toBe(0.1);
    }
    expect(Math.abs(ups / n - (u0 + 1) / 2)).toBeLessThan(0.01);
  });

  it('keeps interests within [−1, 1] and leaves earlier observations untouched', () => {
    const m = model();
    const before = m.observation();
    const copy = Float32Array.from(before);
    const rng = new Rng('clip');
    for (let i = 0; i < 500; i++) m.updateState([video(0, 2, 0)], [{ clicked: true, watchTime: 4, quality: 0, cluster: 2 } as never], rng);
    for (const u of m.userState.interests) expect(Math.abs(u)).toBeLessThanOrEqual(1);
    expect(before).toEqual(copy);
  });

  it('ends the episode when the budget reaches 0', () => {
    const m = model();
    m.userState.timeBudget = 0.5;
    expect(m.isTerminal()).toBe(false);
    m.updateState([video(0, 1, 0)], [{ clicked: false, watchTime: 0, quality: 0, cluster: 1 } as never], new Rng('t'));
    expect(m.isTerminal()).toBe(true);
  });
});
