import { SampleBatch, type ValueColumns } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { computeAdvantages, standardize } from './gae.js';

/** A one-dim-obs batch with value estimates, from per-row arrays. */
function rollout(rows: { r: number; v: number; eps: number; term?: boolean; trunc?: boolean; boot?: number }[]): SampleBatch<ValueColumns> {
  const n = rows.length;
  return new SampleBatch<ValueColumns>(
    n,
    {
      obs: 1,
      nextObs: 1,
      actions: 1,
      rewards: 1,
      terminateds: 1,
      truncateds: 1,
      actionLogp: 1,
      actionDistInputs: 1,
      vfPreds: 1,
      bootstrapValues: 1,
      epsId: 1,
      envId: 1,
      t: 1,
    },
    {
      obs: new Float32Array(n),
      nextObs: new Float32Array(n),
      actions: new Float32Array(n),
      rewards: Float32Array.from(rows, (x) => x.r),
      terminateds: Uint8Array.from(rows, (x) => (x.term ? 1 : 0)),
      truncateds: Uint8Array.from(rows, (x) => (x.trunc ? 1 : 0)),
      actionLogp: new Float32Array(n),
      actionDistInputs: new Float32Array(n),
      vfPreds: Float32Array.from(rows, (x) => x.v),
      bootstrapValues: Float32Array.from(rows, (x) => x.boot ?? 0),
      epsId: Float64Array.from(rows, (x) => x.eps),
      envId: new Int32Array(n),
      t: new Int32Array(n),
    },
  );
}

describe('computeAdvantages', () => {
  const gamma = 0.9;
  const lambda = 0.8;

  it('matches the closed-form GAE of a terminated episode', () => {
    const batch = rollout([
      { r: 1, v: 0.5, eps: 1 },
      { r: 2, v: 0.4, eps: 1 },
      { r: 3, v: 0.3, eps: 1, term: true, boot: 99 },
    ]);
    const out = computeAdvantages(batch, { gamma, lambda, useGae: true, useCritic: true });
    const d2 = 3 - 0.3; // terminal: no bootstrap even though bootstrapValues holds 99
    const d1 = 2 + gamma * 0.3 - 0.4;
    const d0 = 1 + gamma * 0.4 - 0.5;
    const a2 = d2;
    const a1 = d1 + gamma * lambda * a2;
    const a0 = d0 + gamma * lambda * a1;
    expect(Array.from(out.columns.advantages)).toEqual([a0, a1, a2].map(Math.fround));
    expect(out.columns.valueTargets[0]).toBeCloseTo(a0 + 0.5, 6);
  });

  it('bootstraps a truncated episode and a fragment end from bootstrapValues', () => {
    const batch = rollout([
      { r: 1, v: 0.5, eps: 1, trunc: true, boot: 2 },
      { r: 1, v: 0.2, eps: 2, boot: 4 },
    ]);
    const out = computeAdvantages(batch, { gamma, lambda, useGae: true, useCritic: true });
    expect(out.columns.advantages[0]).toBeCloseTo(1 + gamma * 2 - 0.5, 6);
    expect(out.columns.advantages[1]).toBeCloseTo(1 + gamma * 4 - 0.2, 6);
  });

  it('never lets one episode leak into the previous one', () => {
    const joined = rollout([
      { r: 1, v: 0, eps: 1, term: true },
      { r: 100, v: 0, eps: 2, term: true },
    ]);
    const out = computeAdvantages(joined, { gamma, lambda, useGae: true, useCritic: true });
    expect(out.columns.advantages[0]).toBeCloseTo(1, 6);
  });

  it('computes discounted returns without GAE', () => {
    const batch = rollout([
      { r: 1, v: 0.5, eps: 1 },
      { r: 1, v: 0.5, eps: 1, trunc: true, boot: 10 },
    ]);
    const out = computeAdvantages(batch, { gamma, lambda, useGae: false, useCritic: true });
    const g1 = 1 + gamma * 10;
    const g0 = 1 + gamma * g1;
    expect(out.columns.valueTargets[0]).toBeCloseTo(g0, 5);
    expect(out.columns.advantages[1]).toBeCloseTo(g1 - 0.5, 5);
  });
});

describe('standardize', () => {
  it('shifts to mean 0 and scales to standard deviation 1', () => {
    const x = standardize(Float32Array.from([1, 2, 3, 4]));
    const mean = x.reduce((a, b) => a + b, 0) / 4;
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
    expect(mean).toBeCloseTo(0, 6);
    expect(variance).toBeCloseTo(1, 5);
  });
});
