import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError, DataError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { RecoGymEnv } from '../env.js';
import { testAgent } from '../testAgent.js';
import type { RecoGymObservation } from '../types.js';
import { RecoGymNnIpsAgent, type RecoGymNnIpsOptions, type RecoGymNnIpsWeights } from './nnIps.js';

const observation = (user: number, views: number[]): RecoGymObservation => ({
  context: { time: 0, user },
  sessions: views.map((v, i) => ({ t: i, u: user, z: 'pageview', v })),
});
const action = (user: number, a: number, ps: number) => ({ t: 0, u: user, a, ps });

/** Four impressions over 2 products: (user, views, action, click, ps); the last repeats the first (one group of 2). */
const batch: ReadonlyArray<readonly [number, number[], number, 0 | 1, number]> = [
  [0, [0, 0], 0, 1, 0.5],
  [1, [1], 0, 0, 0.5],
  [2, [1, 0], 1, 1, 0.25],
  [3, [0, 0], 0, 1, 0.5],
];

async function agentOn(options: RecoGymNnIpsOptions): Promise<RecoGymNnIpsAgent> {
  const agent = await RecoGymNnIpsAgent.create({ numProducts: 2, numHidden: 3, numEpochs: 1, randomSeed: 7, ...options });
  for (const [user, views, a, click, ps] of batch) agent.train(observation(user, views), action(user, a, ps), click, false);
  return agent;
}

const copy = (w: RecoGymNnIpsWeights) => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Float64Array.from(v)])) as never;

/** The 'loggedAction' loss in float64 plain JS, from flat parameters in RecoGymNnIpsWeights order. */
function loggedActionLoss(w: Record<keyof RecoGymNnIpsWeights, Float64Array>, M: number, lambda: number): number {
  const layer = (x: number[], wt: Float64Array, b: Float64Array, act: (v: number) => number) =>
    Array.from(b, (bj, j) => act(x.reduce((s, xi, i) => s + xi * (wt[i * b.length + j] as number), bj)));
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const u = batch.map(([, views, a, click, ps]) => {
    const x = [views.filter((v) => v === 0).length, views.filter((v) => v === 1).length];
    const z = layer(layer(layer(x, w.w1, w.b1, sig), w.w2, w.b2, sig), w.w3, w.b3, (v) => v);
    const e = z.map((v) => Math.exp(v));
    const pi = (e[a] as number) / e.reduce((s, v) => s + v, 0);
    return -click * Math.min(pi / ps, M);
  });
  const mean = u.reduce((s, v) => s + v, 0) / u.length;
  const variance = u.reduce((s, v) => s + (v - mean) ** 2, 0) / (u.length - 1);
  return mean + lambda * Math.sqrt(variance / u.length);
}

describe('RecoGymNnIpsAgent', () => {
  it("RecoGym's loss: Threshold(M, M) turns every π/ps <= M into M, so the loss is closed-form and one SGD step moves nothing", async () => {
    const agent = await agentOn({});
    const before = copy(agent.weights);
    const [loss] = agent.fit();
    // u = −111·c on both product columns: [−111, −111, 0, 0, −111, −111, −111, −111]; mean −83.25.
    const u = [-111, -111, 0, 0, -111, -111, -111, -111];
    const variance = u.reduce((s, v) => s + (v + 83.25) ** 2, 0) / 7;
    expect(loss).toBeCloseTo(-83.25 + 0.01 * Math.sqrt(variance / 4), 4);
    expect(copy(agent.weights)).toEqual(before);
  });

  it("'loggedAction': one SGD step is −learningRate × the gradient of the clipped IPS risk (checked by finite differences)", async () => {
    const options = { ipsLoss: 'loggedAction', learningRate: 0.5, lambdaVal: 0.3, M: 3 } as const;
    const agent = await agentOn(options);
    const before = copy(agent.weights) as Record<keyof RecoGymNnIpsWeights, Float64Array>;
    const [loss] = agent.fit();
    expect(loss).toBeCloseTo(loggedActionLoss(before, 3, 0.3), 5);
    let moved = 0;
    for (const name of Object.keys(before) as (keyof RecoGymNnIpsWeights)[]) {
      for (let i = 0; i < before[name].length; i++) {
        const plus = copy(before as never) as typeof before;
        const minus = copy(before as never) as typeof before;
        (plus[name] as Float64Array)[i] = (before[name][i] as number) + 1e-6;
        (minus[name] as Float64Array)[i] = (before[name][i] as number) - 1e-6;
        const gradient = (loggedActionLoss(plus, 3, 0.3) - loggedActionLoss(minus, 3, 0.3)) / 2e-6;
        const expected = (before[name][i] as number) - 0.5 * gradient;
        expect(agent.weights[name][i]).toBeCloseTo(expected, 4);
        if (Math.abs(gradient) > 1e-3) moved++;
      }
    }
    expect(moved).toBeGreaterThan(10);
  });

  it('acts greedily on the trained network with ps = its probability, and samples it with selectRandomly', async () => {
    const greedy = await agentOn({ withPsAll: true });
    const obs = observation(9, [1, 1]);
    const prob = greedy.probabilities([0, 2]);
    const chosen = greedy.act(obs, null, false);
    expect(chosen.a).toBe((prob[1] as number) > (prob[0] as number) ? 1 : 0);
    expect(chosen.ps).toBeCloseTo(prob[chosen.a] as number, 12);
    expect(chosen.psA?.[chosen.a]).toBe(1);
    const sampler = await agentOn({ selectRandomly: true });
    const p = sampler.probabilities([1, 0]);
    let ones = 0;
    for (let i = 0; i < 2000; i++) {
      sampler.reset();
      if (sampler.act(observation(i, [0]), null, false).a === 1) ones++;
    }
    expect(Math.abs(ones / 2000 - (p[1] as number))).toBeLessThan(0.04);
  });

  it("trains on RecoGym's logged users and is tested by testAgent (RecoGym's loss leaves the network at its init; the fixed loss falls)", async () => {
    const stock = await RecoGymNnIpsAgent.create({ numProducts: 10, randomSeed: 1 });
    const init = copy(stock.weights);
    const result = testAgent(new RecoGymEnv({ numProducts: 10, randomSeed: 3 }), stock, { numOfflineUsers: 30, numOnlineUsers: 30 });
    expect(stock.numRows).toBeGreaterThan(1500);
    expect(copy(stock.weights)).toEqual(init);
    expect(result.successes + result.failures).toBeGreaterThan(1500);
    const fixed = await RecoGymNnIpsAgent.create({
      numProducts: 10,
      randomSeed: 1,
      ipsLoss: 'loggedAction',
      learningRate: 5,
    });
    testAgent(new RecoGymEnv({ numProducts: 10, randomSeed: 3 }), fixed, { numOfflineUsers: 30, numOnlineUsers: 5 });
    expect(fixed.lossHistory).toHaveLength(100);
    expect(fixed.lossHistory.at(-1) as number).toBeLessThan((fixed.lossHistory[0] as number) - 1e-3);
  });

  it('loads TensorFlow.js only when created: importing @loomrl/envs (as every worker thread does) does not', () => {
    const script = [
      "const { RecoGymNnIpsAgent } = await import('@loomrl/envs');",
      "const before = '_tfengine' in globalThis;",
      'await RecoGymNnIpsAgent.create();',
      "process.stdout.write(JSON.stringify([before, '_tfengine' in globalThis]));",
    ].join('\n');
    const cwd = fileURLToPath(new URL('../../..', import.meta.url));
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([false, true]);
  });

  it('names bad options and bad training rows', async () => {
    await expect(RecoGymNnIpsAgent.create({ numHidden: 0 })).rejects.toThrow(/numHidden must be an integer >= 1, got 0/);
    await expect(RecoGymNnIpsAgent.create({ ipsLoss: 'poem' as never })).rejects.toThrow(ConfigError);
    await expect(RecoGymNnIpsAgent.create({ numHiden: 3 } as never)).rejects.toThrow(/unknown option "numHiden".*numHidden/);
    const agent = await RecoGymNnIpsAgent.create({ numProducts: 2 });
    expect(() => agent.train(observation(0, [5]), null, null, false)).toThrow(DataError);
    expect(() => agent.train(observation(0, []), action(0, 1, 0), 1, false)).toThrow(/ps must be a finite number > 0, got 0/);
  });
});
