import { ConfigError, createRng, DataError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { sampleBeta } from './betaSampler.js';
import { GLMAlgorithm, GLMTS, invertMatrix, UCBGLM } from './glm.js';
import { bernoulliKl, KLUCB, type MABAlgorithm, ThompsonSampling, UCB1 } from './mab.js';

/** Cumulative pseudo-regret of `alg` on a Bernoulli bandit with means `p` after each of `horizon` pulls. */
function regretCurve(alg: MABAlgorithm, p: readonly number[], horizon: number, seed: number): number[] {
  const rng = createRng(seed);
  const best = Math.max(...p);
  const curve: number[] = [];
  let regret = 0;
  for (let t = 1; t <= horizon; t++) {
    const arm = alg.getArm(t);
    alg.update(arm, rng.random() < (p[arm] as number) ? 1 : 0);
    regret += best - (p[arm] as number);
    curve.push(regret);
  }
  return curve;
}

describe('UCB1', () => {
  it('scores mean + c·√(2 ln t / pulls): pulls (10, 10), rewards (10, 0), t = 20 → (1.7740455, 0.7740455)', () => {
    const ucb = new UCB1(2);
    ucb.setState([10, 10], [10, 0]);
    const [a, b] = ucb.getScore(20);
    expect(a).toBeCloseTo(1.7740455, 7);
    expect(b).toBeCloseTo(0.7740455, 7);
    const half = new UCB1(2, { optimismScaling: 0.5 });
    half.setState([10, 10], [10, 0]);
    expect(half.getScore(20)[0]).toBeCloseTo(1 + 0.5 * Math.sqrt((2 * Math.log(20)) / 10), 12);
  });

  it('pulls unpulled arms first, in arm order', () => {
    const ucb = new UCB1(3);
    ucb.setState([4, 0, 0], [4, 0, 0]);
    expect(Array.from(ucb.getScore(4))).toEqual([0, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(ucb.getArm(4)).toBe(1);
  });

  it('refuses fewer than 2 arms, rewards outside [0, 1] and mismatched state', () => {
    expect(() => new UCB1(1)).toThrow(ConfigError);
    expect(() => new UCB1(1)).toThrow(/at least 2 arms, got numArms = 1/);
    expect(() => new UCB1(2).update(0, 1.5)).toThrow(DataError);
    expect(() => new UCB1(2).update(0, 1.5)).toThrow(/reward 1.5 is not in \[0, 1\]/);
    expect(() => new UCB1(2).setState([1, 2, 3], [0, 0, 0])).toThrow(/expected 2 pull counts/);
  });

  it('has sublinear regret on a Bernoulli bandit (regret(10k) < 3 × regret(1k), far below uniform)', () => {
    const curve = regretCurve(new UCB1(3), [0.3, 0.5, 0.7], 10_000, 1);
    const uniform = ((0.4 + 0.2 + 0) / 3) * 10_000;
    expect(curve[9_999] as number).toBeLessThan(3 * (curve[999] as number));
    expect(curve[9_999] as number).toBeLessThan(0.1 * uniform);
  });
});

describe('KL-UCB', () => {
  it.each([
    [[10, 10], [10, 0], 20, [1.0, 0.4667]],
    [[10, 10], [3, 5], 20, [0.814, 0.923]],
    [[50, 30], [10, 20], 80, [0.486, 0.929]],
    [[100, 100], [50, 60], 200, [0.716, 0.799]],
  ])('gives the correct KL-UCB index for pulls %j, rewards %j, t = %i (not RecSim aliased one)', (pulls, rewards, t, expected) => {
    const kl = new KLUCB(2);
    kl.setState(pulls, rewards);
    const scores = kl.getScore(t);
    expected.forEach((q, k) => {
      expect(scores[k] as number).toBeCloseTo(q, 3);
      // The index is the largest q with d(p̂, q) ≤ (ln t + 3 ln ln t)/pulls.
      const p = (rewards[k] as number) / (pulls[k] as number);
      const delta = (Math.log(t) + 3 * Math.log(Math.log(t))) / (pulls[k] as number);
      if ((scores[k] as number) < 1 - 1e-6) expect(bernoulliKl(p, scores[k] as number)).toBeCloseTo(delta, 6);
    });
  });
});

describe('Thompson sampling', () => {
  it('draws Beta(1 + clicks/s², 1 + misses/s²) per arm', () => {
    const ts = new ThompsonSampling(2, {}, 3);
    ts.setState([10, 10], [7, 2]);
    const draws = Array.from({ length: 20_000 }, () => ts.getScore(20));
    for (const [k, [a, b]] of [
      [0, [8, 4]],
      [1, [3, 9]],
    ] as const) {
      const xs = draws.map((d) => d[k] as number);
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
      expect(mean).toBeCloseTo(a / (a + b), 2);
      expect(variance).toBeCloseTo((a * b) / ((a + b) ** 2 * (a + b + 1)), 3);
    }
  });

  it('samples Beta draws with the right moments for small shapes too', () => {
    const rng = createRng(11);
    const xs = Array.from({ length: 40_000 }, () => sampleBeta(0.5, 0.5, rng));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(xs.reduce((s, x) => s + (x - 0.5) ** 2, 0) / xs.length).toBeCloseTo(0.125, 2);
  });

  it('has sublinear regret on a Bernoulli bandit', () => {
    const curve = regretCurve(new ThompsonSampling(3, {}, 2), [0.3, 0.5, 0.7], 10_000, 2);
    expect(curve[9_999] as number).toBeLessThan(3 * (curve[999] as number));
    expect(curve[9_999] as number).toBeLessThan(0.1 * ((0.4 + 0.2) / 3) * 10_000);
  });
});

describe('GLM bandits', () => {
  it('invert matrices', () => {
    const m = Float64Array.of(4, 1, 1, 3);
    const inv = invertMatrix(m, 2);
    expect(Array.from(inv).map((v) => v * 11)).toEqual([3, -1, -1, 4].map((v) => expect.closeTo(v, 10)));
  });

  it('return the prior (w = 0, H = I/σ₀²) with 10 or fewer observations, and fit σ(x·w*) by IRLS with many', () => {
    const glm = new GLMAlgorithm(2, { sigma0: 2 });
    for (let i = 0; i < 10; i++) glm.update(1, [1, 0]);
    const prior = glm.solveLogisticBandit();
    expect(Array.from(prior.w)).toEqual([0, 0]);
    expect(Array.from(prior.hessian)).toEqual([0.25, 0, 0, 0.25]);
    const fit = new GLMAlgorithm(2, { sigma0: 10 });
    const rng = createRng(4);
    const wStar = [1.5, -1];
    for (let i = 0; i < 4000; i++) {
      const x = [rng.normal(), rng.normal()];
      fit.update(rng.random() < 1 / (1 + Math.exp(-(x[0] as number) * 1.5 + (x[1] as number))) ? 1 : 0, x);
    }
    const { w } = fit.solveLogisticBandit();
    expect(w[0] as number).toBeCloseTo(wStar[0] as number, 0);
    expect(w[1] as number).toBeCloseTo(wStar[1] as number, 0);
    expect(() => fit.update(1, [1, 2, 3])).toThrow(/3 features, expected 2/);
  });

  it('pick the arm of the largest index (UCB-GLM) or Thompson draw (GLM-TS), learning the best arm', () => {
    const arms = [
      [1, 0],
      [0, 1],
      [0.7, 0.7],
    ];
    const p = arms.map((x) => 1 / (1 + Math.exp(-(2 * (x[0] as number) - 1 * (x[1] as number)))));
    for (const alg of [new UCBGLM(2, 2000, { seed: 1 }), new GLMTS(2, { seed: 1 })]) {
      const rng = createRng(6);
      const counts = [0, 0, 0];
      for (let t = 0; t < 600; t++) {
        const { arm, scores } = alg.getArm(arms);
        expect(scores.length).toBe(3);
        counts[arm] = (counts[arm] as number) + 1;
        alg.update(rng.random() < (p[arm] as number) ? 1 : 0, arms[arm] as number[]);
      }
      expect(counts[0] as number).toBeGreaterThan(300);
    }
    expect(new UCBGLM(2, 100).ciScaling).toBeCloseTo(2 * Math.sqrt(Math.log(1 + 100) + Math.log(100)), 12);
  });
});
