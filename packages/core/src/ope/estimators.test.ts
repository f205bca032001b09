import { SampleBatch, type TransitionColumns } from '@loomrl/core';
import { createEstimators, estimateOffPolicy, type TargetPolicy } from '@loomrl/core/internal';
import { describe, expect, it } from 'vitest';

/**
 * A two-step MDP with known values. States (one-hot obs): s0 = start, s1 = after action 0,
 * s2 = after action 1; every episode is s0 →a→ s(1+a) →b→ end. Rewards r0[a] then r1[a][b].
 */
const GAMMA = 0.9;
const R0 = [1, 0];
const R1 = [
  [0, 2],
  [3, 1],
];
/** π(action | state) of the behaviour and the target policy: rows s0, s1, s2. */
const BEHAVIOUR = [
  [0.25, 0.75],
  [0.5, 0.5],
  [0.8, 0.2],
];
const TARGET = [
  [0.6, 0.4],
  [0.1, 0.9],
  [0.7, 0.3],
];

/** V^π(s0) by enumeration. */
function trueValue(pi: number[][]): number {
  let v = 0;
  for (const a of [0, 1]) {
    const inner = [0, 1].reduce((sum, b) => sum + (pi[1 + a]?.[b] as number) * (R1[a]?.[b] as number), 0);
    v += (pi[0]?.[a] as number) * ((R0[a] as number) + GAMMA * inner);
  }
  return v;
}

const state = (obs: Float32Array, row: number) => obs.subarray(row * 3, row * 3 + 3).indexOf(1);

/** The target policy as a table over the one-hot states. */
const target: TargetPolicy = {
  numActions: 2,
  actionProbs: (obs, actions, rows) =>
    Float64Array.from({ length: rows }, (_, r) => TARGET[state(obs, r)]?.[actions[r] as number] as number),
  allActionProbs: (obs, rows) =>
    Float32Array.from({ length: rows * 2 }, (_, i) => TARGET[state(obs, Math.floor(i / 2))]?.[i % 2] as number),
};

/**
 * Every trajectory (a, b) repeated in proportion to its behaviour probability (counts 16·π_b):
 * the data's empirical distribution is exactly the behaviour's, so IS is exact.
 */
function enumeratedLog(): SampleBatch<TransitionColumns & { actionProb: Float32Array }> {
  const rows: Array<{ s: number; next: number; a: number; r: number; done: boolean; eps: number; t: number; p: number }> = [];
  let eps = 0;
  for (const a of [0, 1]) {
    for (const b of [0, 1]) {
      const pa = BEHAVIOUR[0]?.[a] as number;
      const pb = BEHAVIOUR[1 + a]?.[b] as number;
      const copies = Math.round(pa * pb * 80);
      for (let k = 0; k < copies; k++, eps++) {
        rows.push({ s: 0, next: 1 + a, a, r: R0[a] as number, done: false, eps, t: 0, p: pa });
        rows.push({ s: 1 + a, next: 1 + a, a: b, r: R1[a]?.[b] as number, done: true, eps, t: 1, p: pb });
      }
    }
  }
  const oneHot = (s: number) => [0, 1, 2].map((i) => (i === s ? 1 : 0));
  const n = rows.length;
  return new SampleBatch(
    n,
    { obs: 3, nextObs: 3, actions: 1, rewards: 1, terminateds: 1, truncateds: 1, epsId: 1, envId: 1, t: 1, actionProb: 1 },
    {
      obs: Float32Array.from(rows.flatMap((r) => oneHot(r.s))),
      nextObs: Float32Array.from(rows.flatMap((r) => oneHot(r.next))),
      actions: Float32Array.from(rows, (r) => r.a),
      rewards: Float32Array.from(rows, (r) => r.r),
      terminateds: Uint8Array.from(rows, (r) => (r.done ? 1 : 0)),
      truncateds: new Uint8Array(n),
      epsId: Float64Array.from(rows, (r) => r.eps),
      envId: new Int32Array(n),
      t: Int32Array.from(rows, (r) => r.t),
      actionProb: Float32Array.from(rows, (r) => r.p),
    },
  );
}

describe('off-policy estimators on a tiny MDP with known values', () => {
  const batch = enumeratedLog();
  const vTarget = trueValue(TARGET);
  const vBehavior = trueValue(BEHAVIOUR);

  it('IS and WIS are exact (per episode) when the log is the behaviour distribution', async () => {
    const estimators = createEstimators(
      { is: { type: 'ImportanceSampling' }, wis: { type: 'WeightedImportanceSampling' } },
      { seed: 1, backend: 'auto' },
    );
    const out = await estimateOffPolicy(estimators, [batch], { policy: target, gamma: GAMMA, splitByEpisode: true });
    expect(vTarget).not.toBeCloseTo(vBehavior, 1);
    expect(out.is?.vBehavior).toBeCloseTo(vBehavior, 5);
    expect(out.is?.vTarget).toBeCloseTo(vTarget, 5);
    expect(out.wis?.vTarget).toBeCloseTo(vTarget, 5);
    expect(out.is?.vGain).toBeCloseTo(vTarget / vBehavior, 5);
    expect(out.is?.vDelta).toBeCloseTo(vTarget - vBehavior, 5);
  });

  it('DM and DR (fitted Q evaluation) are within 0.05 of the true value; DR is within 0.01', async () => {
    const qModelConfig = { nIters: 400, lr: 3e-3 };
    const estimators = createEstimators(
      { dm: { type: 'DirectMethod', qModelConfig }, dr: { type: 'DoublyRobust', qModelConfig } },
      { seed: 1, backend: 'auto' },
    );
    const out = await estimateOffPolicy(estimators, [batch], { policy: target, gamma: GAMMA, splitByEpisode: true });
    expect(Math.abs((out.dm?.vTarget as number) - vTarget)).toBeLessThan(0.05);
    expect(Math.abs((out.dr?.vTarget as number) - vTarget)).toBeLessThan(0.01);
    expect(out.dm?.fqeLoss).toBeLessThan(0.01);
  });

  it('in dataset (bandit) mode IS is mean(ρ r) and WIS mean(ρ r) / mean(ρ), with their standard errors', async () => {
    const estimators = createEstimators(
      { is: { type: 'ImportanceSampling' }, wis: { type: 'WeightedImportanceSampling' } },
      { seed: 1, backend: 'auto' },
    );
    const out = await estimateOffPolicy(estimators, [batch], { policy: target, gamma: GAMMA, splitByEpisode: false });
    const c = batch.columns;
    const rho = Array.from(
      { length: batch.count },
      (_, r) => (target.actionProbs(c.obs, c.actions, batch.count)[r] as number) / (c.actionProb[r] as number),
    );
    const weighted = rho.map((p, r) => p * (c.rewards[r] as number));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const meanReward = mean(Array.from(c.rewards));
    expect(out.is?.vTarget).toBeCloseTo(mean(weighted), 5);
    expect(out.is?.vBehavior).toBeCloseTo(meanReward, 5);
    expect(out.wis?.vTarget).toBeCloseTo(mean(weighted) / mean(rho), 5);
    const sd = Math.sqrt(weighted.reduce((s, w) => s + (w - mean(weighted)) ** 2, 0) / (weighted.length - 1));
    expect(out.is?.vGainSte).toBeCloseTo(sd / meanReward / Math.sqrt(batch.count), 5);
  });

  it('names the row whose behaviour probability is missing or zero', async () => {
    const estimators = createEstimators({ is: { type: 'ImportanceSampling' } }, { seed: 1, backend: 'auto' });
    const bad = enumeratedLog();
    bad.columns.actionProb[3] = 0;
    await expect(estimateOffPolicy(estimators, [bad], { policy: target, gamma: GAMMA, splitByEpisode: true })).rejects.toThrow(
      /row 3 has action_prob 0/,
    );
  });
});
