import { ConfigError, LearnerError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { RecoGymEnv } from '../env.js';
import { testAgent } from '../testAgent.js';
import type { RecoGymObservation } from '../types.js';
import { RecoGymPyTorchMLRAgent, type RecoGymPyTorchMLROptions } from './pytorchMlr.js';

const observation = (user: number, views: number[]): RecoGymObservation => ({
  context: { time: 0, user },
  sessions: views.map((v, i) => ({ t: i, u: user, z: 'pageview', v })),
});
const action = (user: number, a: number, ps: number) => ({ t: 0, u: user, a, ps });

type Row = readonly [user: number, views: number[], a: number, click: 0 | 1, ps: number];

async function fitted(options: RecoGymPyTorchMLROptions, rows: readonly Row[]): Promise<RecoGymPyTorchMLRAgent> {
  const agent = await RecoGymPyTorchMLRAgent.create({ numProducts: 2, randomSeed: 3, ...options });
  for (const [user, views, a, click, ps] of rows) agent.train(observation(user, views), action(user, a, ps), click, false);
  return agent;
}

/** Two clicked impressions (ps 0.5 and 0.25) and one unclicked. */
const tiny: readonly Row[] = [
  [0, [0], 0, 1, 0.5],
  [1, [1], 1, 0, 0.5],
  [2, [1, 1], 0, 1, 0.25],
];
const zero = new Float64Array(5);

describe('RecoGymPyTorchMLRAgent', () => {
  it('evaluates the policy, log-policy, penalised and likelihood losses as RecoGym writes them (W = 0, b = 0: π = 1/2, σ = 1/2)', async () => {
    // Policy: −mean(min(π·w, M)) over the clicked rows: π·w = 1 and 2.
    expect((await fitted({}, tiny)).objective(zero)).toBeCloseTo(-1.5, 6);
    expect((await fitted({ clipWeights: 1.5 }, tiny)).objective(zero)).toBeCloseTo(-1.25, 6);
    expect((await fitted({ logIPS: true }, tiny)).objective(zero)).toBeCloseTo(-Math.log(0.5) * 3, 5);
    // Standard error of ℓ = [−1, −2]: √(((0.5)² + (0.5)²) / 1 / 2) = 0.5.
    expect((await fitted({ variancePenalisationStrength: 2 }, tiny)).objective(zero)).toBeCloseTo(-1.5 + 2 * 0.5, 6);
    // Likelihood: every row's cross-entropy is ln 2; with llIPS weighted by 1/ps = 2, 2, 4.
    expect((await fitted({ alpha: 1, llIPS: false }, tiny)).objective(zero)).toBeCloseTo(Math.LN2, 6);
    expect((await fitted({ alpha: 1 }, tiny)).objective(zero)).toBeCloseTo((Math.LN2 * 8) / 3, 5);
    expect((await fitted({ alpha: 0.25, llIPS: false }, tiny)).objective(zero)).toBeCloseTo(0.75 * -1.5 + 0.25 * Math.LN2, 6);
  });

  it('clips with the 90th / 10th percentile ratio of the clicked rows’ ps when clipWeights is true (numpy’s linear percentile)', async () => {
    const rows: Row[] = [0.1, 0.2, 0.4, 0.8].map((ps, i) => [i, [0], 0, 1, ps] as const);
    const agent = await fitted({ clipWeights: true }, [...rows, [9, [0], 1, 0, 0.01]]);
    // 90th: 0.4 + 0.7·0.4 = 0.68; 10th: 0.1 + 0.3·0.1 = 0.13.
    expect(agent.clipConstant()).toBeCloseTo(0.68 / 0.13, 10);
  });

  it('differentiates the mixed loss correctly (TensorFlow.js gradient against finite differences)', async () => {
    const agent = await fitted({ alpha: 0.4, logIPS: false, variancePenalisationStrength: 0.3 }, tiny);
    const theta = Float64Array.of(0.3, -0.2, 0.5, 0.1, -0.4);
    const gradient = new Float64Array(5);
    agent.objective(theta, gradient);
    for (let i = 0; i < 5; i++) {
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[i] = (plus[i] as number) + 1e-3;
      minus[i] = (minus[i] as number) - 1e-3;
      expect(gradient[i]).toBeCloseTo((agent.objective(plus) - agent.objective(minus)) / 2e-3, 2);
    }
  });

  it('keeps the likelihood gradient finite where float32 σ saturates (logits of ±60)', async () => {
    const agent = await fitted({ alpha: 1 }, tiny);
    const gradient = new Float64Array(5);
    const loss = agent.objective(Float64Array.of(60, -60, -60, 60, 0), gradient);
    expect(Number.isFinite(loss)).toBe(true);
    expect(gradient.every(Number.isFinite)).toBe(true);
    // Weighted cross-entropies: row 0 logit 60, clicked: ≈ 0; row 1 logit 60, not clicked: 2·60; row 2 (x = [0, 2])
    // logit −120, clicked: log σ clamped at −100, 4·100.
    expect(loss).toBeCloseTo((2 * 60 + 4 * 100) / 3, 3);
  });

  it('converges on a separable case: clicks only when the recommended product is the one viewed (policy and likelihood)', async () => {
    // Three products, uniform logging: a user who viewed v clicks exactly when shown v.
    const rows: Row[] = [];
    let user = 0;
    for (let rep = 0; rep < 4; rep++)
      for (let v = 0; v < 3; v++) for (let a = 0; a < 3; a++) rows.push([user++, [v], a, a === v ? 1 : 0, 1 / 3]);
    for (const options of [{}, { logIPS: true }, { alpha: 1, llIPS: false }] as const) {
      const agent = await fitted({ numProducts: 3, ...options }, rows);
      const loss = agent.fit();
      // Policy: π(v|v) → 1, so −mean(π·w) → −3; likelihood: cross-entropy → 0.
      if ('alpha' in options) expect(loss).toBeLessThan(0.05);
      else if ('logIPS' in options) expect(loss).toBeLessThan(0.05 * 3);
      else expect(loss).toBeLessThan(-2.95);
      for (let v = 0; v < 3; v++) {
        agent.reset();
        const chosen = agent.act(observation(100 + v, [v]), null, false);
        expect(chosen.a).toBe(v);
        expect(chosen.ps).toBe(1);
        expect(chosen.psA).toEqual([0, 1, 2].map((i) => (i === v ? 1 : 0)));
      }
    }
  });

  it("is trained on RecoGym's logged users at the first act and tested by testAgent", async () => {
    const agent = await RecoGymPyTorchMLRAgent.create({ numProducts: 10, randomSeed: 1, maxIterations: 50 });
    const result = testAgent(new RecoGymEnv({ numProducts: 10, randomSeed: 3 }), agent, { numOfflineUsers: 30, numOnlineUsers: 30 });
    expect(agent.numRows).toBeGreaterThan(1500);
    expect(agent.iterations).toBeGreaterThan(0);
    expect(Number.isFinite(agent.lastLoss)).toBe(true);
    expect(result.successes + result.failures).toBeGreaterThan(1500);
  });

  it('names bad options and data it cannot fit', async () => {
    await expect(RecoGymPyTorchMLRAgent.create({ alpha: 2 })).rejects.toThrow(/alpha must be a number in \[0, 1\], got 2/);
    await expect(RecoGymPyTorchMLRAgent.create({ clipWeights: -1 })).rejects.toThrow(ConfigError);
    await expect(RecoGymPyTorchMLRAgent.create({ llIps: true } as never)).rejects.toThrow(/unknown option "llIps".*llIPS/);
    const noClicks = await fitted({}, [[0, [0], 1, 0, 0.5]]);
    expect(() => noClicks.fit()).toThrow(LearnerError);
    expect(() => noClicks.fit()).toThrow(/needs clicked impressions/);
    await expect(RecoGymPyTorchMLRAgent.create()).resolves.toBeInstanceOf(RecoGymPyTorchMLRAgent);
    expect(() => (noClicks as unknown as { act: (o: RecoGymObservation) => void }).act(observation(0, []))).toThrow(LearnerError);
  });
});
