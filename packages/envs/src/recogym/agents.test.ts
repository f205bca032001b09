import { ConfigError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { RecoGymBanditCountAgent } from './agents/banditCount.js';
import { RecoGymBanditMFSquareAgent } from './agents/banditMf.js';
import { RecoGymLogregAgent } from './agents/logreg.js';
import { RecoGymOrganicCountAgent } from './agents/organicCount.js';
import { RecoGymOrganicMFSquareAgent } from './agents/organicMf.js';
import { RecoGymOrganicUserEventCounterAgent } from './agents/organicUserCounter.js';
import { RecoGymPopularityAgent } from './agents/popularity.js';
import { RecoGymRandomAgent } from './agents/random.js';
import { RecoGymEnv } from './env.js';
import { testAgent } from './testAgent.js';
import { trainRecoGymAgentOffline } from './training.js';
import type { RecoGymAgent, RecoGymObservation } from './types.js';

const observation = (user: number, views: number[], time = 0): RecoGymObservation => ({
  context: { time, user },
  sessions: views.map((v, i) => ({ t: time + i, u: user, z: 'pageview', v })),
});

describe('RecoGym agents', () => {
  it('the random agent is uniform with ps = 1/P', () => {
    const agent: RecoGymAgent = new RecoGymRandomAgent({ numProducts: 4, randomSeed: 1, withPsAll: true });
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const action = agent.act(observation(0, []), null, false);
      expect(action.ps).toBe(0.25);
      expect(action.psA).toEqual([0.25, 0.25, 0.25, 0.25]);
      counts[action.a] = (counts[action.a] ?? 0) + 1;
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });

  it('the popularity agent samples in proportion to global organic counts', () => {
    const agent: RecoGymAgent = new RecoGymPopularityAgent({ numProducts: 3, randomSeed: 2 });
    agent.train(observation(0, [0, 0, 0, 1]), null, null, true);
    agent.train(observation(1, [0, 0, 0, 0]), null, null, true);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const action = agent.act(observation(5, [2, 2, 2]), null, false);
      expect(action.ps).toBeCloseTo([7 / 8, 1 / 8, 0][action.a] ?? -1, 12);
      counts[action.a] = (counts[action.a] ?? 0) + 1;
    }
    expect(counts[2]).toBe(0);
    expect(Math.abs((counts[0] ?? 0) / 3000 - 7 / 8)).toBeLessThan(0.03);
  });

  it("the organic user event counter follows this user's views and forgets them at reset", () => {
    const agent: RecoGymAgent = new RecoGymOrganicUserEventCounterAgent({ numProducts: 5, randomSeed: 3 });
    const first = agent.act(observation(0, [1, 1, 1, 4]), null, false);
    expect([1, 4]).toContain(first.a);
    expect(first.ps).toBeCloseTo(first.a === 1 ? 0.75 : 0.25, 12);
    agent.reset();
    for (let i = 0; i < 50; i++) expect(agent.act(observation(1, i === 0 ? [2] : []), 0, false).a).toBe(2);
    const greedy: RecoGymAgent = new RecoGymOrganicUserEventCounterAgent({ numProducts: 5, selectRandomly: false });
    expect(greedy.act(observation(0, [3, 0, 3]), null, false)).toMatchObject({ a: 3, ps: 1 });
  });

  it('the organic user event counter explores unseen products with probability epsilon', () => {
    const agent: RecoGymAgent = new RecoGymOrganicUserEventCounterAgent({ numProducts: 4, randomSeed: 4, epsilon: 0.5 });
    agent.act(observation(0, [0]), null, false);
    let explored = 0;
    for (let i = 0; i < 2000; i++) {
      const action = agent.act(observation(0, []), 0, false);
      if (action.a !== 0) {
        explored++;
        expect(action.ps).toBeCloseTo(0.5 / 3, 12);
      } else expect(action.ps).toBeCloseTo(0.5, 12);
    }
    expect(Math.abs(explored / 2000 - 0.5)).toBeLessThan(0.05);
  });

  it('the logistic-regression agent learns that viewed products get clicked', () => {
    const agent = new RecoGymLogregAgent({ numProducts: 10, randomSeed: 5 });
    trainRecoGymAgentOffline(new RecoGymEnv({ numProducts: 10, randomSeed: 5 }), agent, { numOfflineUsers: 300 });
    const action = (agent as RecoGymAgent).act(observation(0, [7, 7, 7, 7, 2]), null, false);
    expect(agent.lastLoss).toBeGreaterThan(0);
    expect(agent.lastLoss).toBeLessThan(0.1);
    expect(action.ps).toBe(1);
    const history = (counts: number[]) => ({
      counts,
      total: counts.reduce((s, x) => s + x, 0),
      viewed: counts.flatMap((c, v) => (c > 0 ? [v] : [])),
    });
    const fan = history([0, 0, 1, 0, 0, 0, 0, 4, 0, 0]);
    const stranger = history([0, 0, 5, 0, 0, 0, 0, 0, 0, 0]);
    expect(agent.model.logit(fan, 7)).toBeGreaterThan(agent.model.logit(stranger, 7));
    expect(agent.model.logit(stranger, 2)).toBeGreaterThan(agent.model.logit(fan, 2));
  });

  it('agents reject unknown options with a suggestion', () => {
    expect(() => new RecoGymLogregAgent({ l2bias: 3 } as never)).toThrow(ConfigError);
    expect(() => new RecoGymLogregAgent({ l2bias: 3 } as never)).toThrow(/unknown option "l2bias"\. Did you mean "l2Bias"\?/);
    expect(() => new RecoGymRandomAgent({ numProducts: 0 })).toThrow(/numProducts must be an integer >= 1, got 0/);
  });
});

describe('RecoGym count agents', () => {
  const shown = (user: number, a: number) => ({ t: 0, u: user, a, ps: 0.1 });

  it('BanditCount keeps (clicks + 1)/(pulls + 2) per (last viewed, recommended), crediting the view before the observation', () => {
    const agent = new RecoGymBanditCountAgent({ numProducts: 3, withPsAll: true });
    // Views of 2, then an impression of product 1 (clicked) logged with the next observation (views of 0).
    agent.train(observation(0, [2]), null, null, false);
    agent.train(observation(0, [0]), shown(0, 1), 1, false);
    // Now the last view is 0: an impression of 1 without a click is credited to viewed product 0.
    agent.train(observation(0, []), shown(0, 1), 0, false);
    agent.train(observation(0, []), shown(0, 2), 0, true);
    expect(agent.ctr(2, 1)).toBeCloseTo(2 / 3, 12);
    expect(agent.ctr(0, 1)).toBeCloseTo(1 / 3, 12);
    expect(agent.ctr(0, 2)).toBeCloseTo(1 / 3, 12);
    expect(agent.ctr(1, 1)).toBe(0.5);
    const afterTwo = agent.act(observation(5, [0, 2]), null, false);
    expect([afterTwo.a, afterTwo.ps]).toEqual([1, 2 / 3]);
    expect(afterTwo.psA).toEqual([0.5, 2 / 3, 0.5]);
    // The last view is kept across observations without views; after a view of 0, product 0 (first maximum) wins.
    expect(agent.act(observation(5, []), 0, false).a).toBe(1);
    expect(agent.act(observation(5, [0]), 0, false)).toMatchObject({ a: 0, ps: 0.5 });
  });

  it('OrganicCount adds b·bᵀ of every observation and recommends the top of the last viewed row with ps = 1', () => {
    const agent = new RecoGymOrganicCountAgent({ numProducts: 4 });
    agent.train(observation(0, [1, 1, 2]), null, null, false);
    agent.train(observation(1, [2, 3]), null, null, true);
    const row = (i: number) => Array.from(agent.cooccurrence.subarray(i * 4, i * 4 + 4));
    expect(row(1)).toEqual([0, 4, 2, 0]);
    expect(row(2)).toEqual([0, 2, 2, 1]);
    expect(row(3)).toEqual([0, 0, 1, 1]);
    expect(agent.act(observation(9, [3, 2]), null, false)).toMatchObject({ a: 1, ps: 1 });
    expect(agent.act(observation(9, [3]), null, false).a).toBe(2);
  });

  it('BanditCount, trained on uniform logs, clicks more often than random on RecoGym-v1', () => {
    const ctr = (agent: RecoGymAgent) =>
      testAgent(new RecoGymEnv({ numProducts: 10, randomSeed: 4 }), agent, { numOfflineUsers: 2000, numOnlineUsers: 1000 }).median;
    expect(ctr(new RecoGymBanditCountAgent({ numProducts: 10 }))).toBeGreaterThan(1.3 * ctr(new RecoGymRandomAgent({ numProducts: 10 })));
  });
});

describe('RecoGym matrix-factorisation agents', () => {
  const shown = (user: number, a: number) => ({ t: 0, u: user, a, ps: 0.1 });
  // A first RMSprop step (v = 0.01·g²) moves every parameter with a gradient by lr·g/(0.1·|g| + 1e−8) ≈ 10·lr·sign(g).
  const firstStep = 0.1;

  it('OrganicMFSquare: one RMSprop step on the cross-entropy of consecutive views per mini batch, dropping the triggering observation', () => {
    const agent = new RecoGymOrganicMFSquareAgent({ numProducts: 2, embedDim: 1, miniBatchSize: 2, withPsAll: true });
    // E = [1, 2], W = [0.5, −0.5], b = [0, 0]: after a view of 0 the logits are [0.5, −0.5], so it recommends 0.
    agent.parameters.set([1, 2, 0.5, -0.5, 0, 0]);
    expect(agent.act(observation(0, [1, 0]), null, false)).toMatchObject({ a: 0, ps: 1, psA: [1, 0] });
    agent.train(observation(0, [0, 1]), null, null, false);
    // The second call updates on the pair 0 → 1 only: g = softmax − onehot(1) = [0.731, −0.731];
    // ∂W = g·E[0], ∂b = g, ∂E[0] = Σ g_k W_k = 0.731 > 0, ∂E[1] = 0. Its own views (1 → 0) are dropped.
    agent.train(observation(0, [1, 0]), null, null, false);
    const expected = [1 - firstStep, 2, 0.5 - firstStep, -0.5 + firstStep, -firstStep, firstStep];
    Array.from(agent.parameters).forEach((value, i) => {
      expect(value).toBeCloseTo(expected[i] as number, 6);
    });
    for (let batch = 0; batch < 20; batch++) {
      agent.train(observation(0, [0, 1, 0, 1]), null, null, false);
      agent.train(observation(0, []), null, null, false);
    }
    expect(agent.act(observation(0, [0]), null, false).a).toBe(1);
    // An observation without views repeats the last recommendation.
    expect(agent.act(observation(0, []), null, false).a).toBe(1);
  });

  it("BanditMFSquare: one RMSprop step on the logistic loss of ⟨A[a], U[last view]⟩ per mini batch; ps is RecoGym's logit", () => {
    const agent = new RecoGymBanditMFSquareAgent({ numProducts: 2, embedDim: 1, miniBatchSize: 2 });
    // A = [1, 0.5], U = [2, −1]: after a view of 0 the logits are [2, 1].
    agent.parameters.set([1, 0.5, 2, -1]);
    expect(agent.act(observation(0, [0]), null, false)).toMatchObject({ a: 0, ps: 2 });
    // A click on product 1 after a view of 0: logit 1, g = σ(1) − 1 < 0; ∂A[1] = g·U[0] < 0, ∂U[0] = g·A[1] < 0.
    agent.train(observation(0, [0]), shown(0, 1), 1, false);
    agent.train(observation(0, [1]), shown(0, 0), 0, false); // triggers the update; its own triple is dropped
    const expected = [1, 0.5 + firstStep, 2 + firstStep, -1];
    Array.from(agent.parameters).forEach((value, i) => {
      expect(value).toBeCloseTo(expected[i] as number, 6);
    });
    // After a view of 1 the logits are A·U[1] = [−1, −0.6]: product 1 with ps −0.6; the last view is kept across observations without views.
    expect(agent.act(observation(0, [1]), null, false)).toMatchObject({ a: 1, ps: expect.closeTo(-(0.5 + firstStep), 6) });
    expect(agent.act(observation(0, []), null, false).a).toBe(1);
    expect(agent.act(observation(0, [0]), null, false)).toMatchObject({ a: 0, ps: expect.closeTo(2 + firstStep, 6) });
  });

  it('both are deterministic per seed and click more often than random on RecoGym-v1 after training on its logs', () => {
    const run = (agent: RecoGymAgent) =>
      testAgent(new RecoGymEnv({ numProducts: 10, randomSeed: 4 }), agent, { numOfflineUsers: 2000, numOnlineUsers: 1000 });
    const random = run(new RecoGymRandomAgent({ numProducts: 10 })).median;
    for (const make of [
      () => new RecoGymOrganicMFSquareAgent({ numProducts: 10 }),
      () => new RecoGymBanditMFSquareAgent({ numProducts: 10 }),
    ]) {
      const [first, second] = [make(), make()];
      const result = run(first);
      expect(run(second)).toEqual(result);
      expect(Array.from(second.parameters)).toEqual(Array.from(first.parameters));
      expect(result.median).toBeGreaterThan(1.3 * random);
    }
  });

  it('refuse bad options, naming them', () => {
    expect(() => new RecoGymOrganicMFSquareAgent({ embedDim: 0 })).toThrow(/embedDim must be an integer >= 1, got 0/);
    expect(() => new RecoGymBanditMFSquareAgent({ learningRate: -1 })).toThrow(/learningRate must be a finite number > 0, got -1/);
    expect(() => new RecoGymBanditMFSquareAgent({ miniBatchSise: 3 } as never)).toThrow(ConfigError);
  });
});
