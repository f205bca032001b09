import { ActionError, ConfigError, EnvError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import type { RecoGymConfig } from './config.js';
import { RecoGymEnv } from './env.js';
import { generateLogs, type RecoGymLogRow } from './logs.js';
import { RecoGymLoomEnv } from './loomEnv.js';
import type { RecoGymUserModelV0, RecoGymUserModelV1 } from './userModel.js';
import type { RecoGymWorldV0, RecoGymWorldV1 } from './world.js';

function summarise(rows: readonly RecoGymLogRow[], users: number) {
  let organic = 0;
  let bandit = 0;
  let clicks = 0;
  for (const row of rows) {
    if (row.z === 'organic') organic++;
    else {
      bandit++;
      clicks += row.c ?? 0;
    }
  }
  return { organicPerUser: organic / users, impressionsPerUser: bandit / users, ctr: clicks / bandit };
}

/** Plays one user to the end with uniform actions from `choose`, returning every step. */
function playUser(env: RecoGymEnv, user: number, choose: () => number) {
  env.reset(user);
  const steps = [env.step(null)];
  while (!(steps.at(-1)?.done ?? true)) steps.push(env.step(choose()));
  return steps;
}

describe('RecoGym-v1 against the spec sanity figures (uniform logging, 1000 users)', () => {
  // Spec 3.10 (Python, seed 42): P = 10: 21.80 views, 75.67 impressions, CTR 0.01134;
  // P = 100: 22.40, 79.95, 0.01059. User lifetimes are geometric (mean ~100 transitions), so a
  // 1000-user mean has a standard error of ~0.8 views and ~2.5 impressions.
  for (const [numProducts, views, impressions] of [
    [10, 21.8, 75.67],
    [100, 22.4, 79.95],
  ] as const) {
    it(`matches organic views and impressions per user at ${numProducts} products`, () => {
      const env = new RecoGymEnv({ numProducts, randomSeed: 42 });
      const stats = summarise(generateLogs(env, { numOfflineUsers: 1000 }), 1000);
      expect(Math.abs(stats.organicPerUser - views)).toBeLessThan(3);
      expect(Math.abs(stats.impressionsPerUser - impressions)).toBeLessThan(8);
    });
  }

  it('has a uniform-logging CTR near 0.0106 at 100 products', () => {
    const stats = summarise(generateLogs(new RecoGymEnv({ numProducts: 100, randomSeed: 42 }), { numOfflineUsers: 1000 }), 1000);
    expect(stats.ctr).toBeGreaterThan(0.0092);
    expect(stats.ctr).toBeLessThan(0.0125);
  });

  it('has a uniform-logging CTR near 0.0113 at 10 products, averaged over worlds', () => {
    // With 10 products the CTR of one world varies by ~±0.0014, so average five worlds.
    let total = 0;
    for (let seed = 0; seed < 5; seed++) {
      total += summarise(generateLogs(new RecoGymEnv({ numProducts: 10, randomSeed: seed }), { numOfflineUsers: 400 }), 400).ctr;
    }
    expect(total / 5).toBeGreaterThan(0.0092);
    expect(total / 5).toBeLessThan(0.0128);
  });
});

describe('RecoGym-v1 dynamics', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const logs = (config: RecoGymConfig) => generateLogs(new RecoGymEnv(config), { numOfflineUsers: 30 });
    expect(logs({ randomSeed: 5 })).toEqual(logs({ randomSeed: 5 }));
    expect(logs({ randomSeed: 5 })).not.toEqual(logs({ randomSeed: 6 }));
  });

  it("re-seeds after building the world, so user 0's ω is σ₀·Γ[0] (RecoGym's quirk)", () => {
    const env = new RecoGymEnv({ numProducts: 10, k: 5, sigmaOmegaInitial: 2, randomSeed: 3 });
    env.reset(0);
    const world = env.world as RecoGymWorldV1;
    const omega = Array.from((env.userModel as RecoGymUserModelV1).omega);
    expect(omega).toEqual(Array.from(world.gamma.subarray(0, 5), (g) => 2 * g));
  });

  it('sends every clicked impression to an organic session, even when the user drew "leave"', () => {
    const env = new RecoGymEnv({ numProducts: 5, randomSeed: 1, probLeaveOrganic: 0.05 });
    let clicks = 0;
    for (let user = 0; user < 3000; user++) {
      let a = 0;
      for (const step of playUser(env, user, () => (a = (a + 1) % 5))) {
        if (step.reward === 1) {
          clicks++;
          expect(step.observation.sessions.length).toBeGreaterThan(0);
        }
      }
    }
    expect(clicks).toBeGreaterThan(200);
  });

  it('moves ω only on transitions into organic', () => {
    const env = new RecoGymEnv({ numProducts: 10, randomSeed: 2 });
    const model = env.userModel as RecoGymUserModelV1;
    let frozenSteps = 0;
    for (let user = 0; user < 20; user++) {
      env.reset(user);
      let result = env.step(null);
      while (!result.done) {
        const before = Array.from(model.omega);
        result = env.step(3);
        if (result.observation.sessions.length === 0) {
          expect(Array.from(model.omega)).toEqual(before);
          frozenSteps++;
        } else if (result.observation.sessions.length >= 2) expect(Array.from(model.omega)).not.toEqual(before);
      }
    }
    expect(frozenSteps).toBeGreaterThan(100);
  });

  it('ticks the clock once per transition', () => {
    const env = new RecoGymEnv({ randomSeed: 4 });
    env.reset(0);
    let previous = -1;
    let result = env.step(null);
    for (let n = 0; n < 200 && !result.done; n++) {
      for (const event of result.observation.sessions) {
        expect(event.t).toBe(previous + 1);
        previous = event.t;
      }
      if (result.observation.sessions.length > 0) expect(result.observation.context.time).toBe(previous + 1);
      previous = result.observation.context.time;
      result = env.step(0);
    }
  });

  it('with the normal clock, times grow by |N(mu, sigma²)| steps', () => {
    const env = new RecoGymEnv({ randomSeed: 4, timeGenerator: 'normal', normalTimeMu: 0, normalTimeSigma: 1 });
    env.reset(0);
    const times = env.step(null).observation.sessions.map((e) => e.t);
    expect(times[0]).toBe(0);
    for (let i = 1; i < times.length; i++) expect(times[i] ?? 0).toBeGreaterThan(times[i - 1] ?? 0);
    expect(times.some((t) => !Number.isInteger(t))).toBe(true);
  });

  it('pairs the most similar products when flipping', () => {
    const env = new RecoGymEnv({ numProducts: 20, numberOfFlips: 4, randomSeed: 8 });
    const { flipIndex, beta, gamma, muBandit, muOrganic, k } = env.world as RecoGymWorldV1;
    const moved = Array.from(flipIndex).filter((j, i) => j !== i).length;
    expect(moved).toBe(8);
    flipIndex.forEach((j, i) => {
      expect(flipIndex[j]).toBe(i);
      expect(muBandit[i]).toBe(muOrganic[j]);
      expect(Array.from(beta.subarray(i * k, i * k + k))).toEqual(Array.from(gamma.subarray(j * k, j * k + k)));
    });
  });

  it('rejects an action outside the catalogue, naming it and the valid range', () => {
    const env = new RecoGymEnv({ numProducts: 10 });
    env.reset(0);
    expect(() => env.step(3)).toThrow(/first step of a user takes no action \(null\), got 3/);
    env.step(null);
    expect(() => env.step(10)).toThrow(ActionError);
    expect(() => env.step(10)).toThrow(/action must be a product id, an integer in \[0, 9\], got 10/);
    expect(() => env.step(-1)).toThrow(/got -1/);
    expect(() => env.step(1.5)).toThrow(/got 1.5/);
  });

  it('refuses to step a user who has left', () => {
    const env = new RecoGymEnv({ randomSeed: 1 });
    expect(() => env.step(null)).toThrow(/call reset\(\) before step\(\)/);
    const steps = playUser(env, 0, () => 1);
    expect(steps.at(-1)?.done).toBe(true);
    expect(() => env.step(1)).toThrow(EnvError);
  });
});

describe('RecoGym-v0', () => {
  it('keeps views inside one cluster, keeps time at 0, and clicks more within the cluster', () => {
    const env = new RecoGymEnv({ numProducts: 10, numClusters: 2, randomSeed: 3 }, { version: 'v0' });
    const world = env.world as RecoGymWorldV0;
    expect(world.clusterSize).toBe(5);
    for (let user = 0; user < 50; user++) {
      const views = playUser(env, user, () => 0).flatMap((s) => s.observation.sessions);
      const cluster = Math.floor((views[0]?.v ?? 0) / 5);
      for (const view of views) {
        expect(Math.floor(view.v / 5)).toBe(cluster);
        expect(view.t).toBe(0);
      }
    }
    let same = 0;
    let across = 0;
    for (let a = 0; a < 10; a++) {
      for (let v = 0; v < 10; v++) {
        const p = world.clickMatrix[a * 10 + v] ?? 0;
        if (Math.floor(a / 5) === Math.floor(v / 5)) same += p / 50;
        else across += p / 50;
      }
    }
    expect(same).toBeCloseTo(0.015, 2);
    expect(across).toBeCloseTo(0.0067, 2);
    expect((env.userModel as RecoGymUserModelV0).lastViewed).toBeLessThan(10);
  });

  it('draws the click-matrix noise φ with variance phiVar (standard deviation √phiVar, as RecoGym)', () => {
    const env = new RecoGymEnv({ numProducts: 100, numClusters: 2, phiVar: 4, randomSeed: 1 }, { version: 'v0' });
    const world = env.world as RecoGymWorldV0;
    const bonus = ((100 / 5) * 2) / 50;
    const phis = Array.from(world.clickMatrix, (p, i) => {
      const same = Math.floor(Math.floor(i / 100) / 50) === Math.floor((i % 100) / 50) ? bonus : 0;
      return Math.log(p / (1 - p)) - same + 5;
    });
    const mean = phis.reduce((a, b) => a + b, 0) / phis.length;
    const variance = phis.reduce((a, b) => a + (b - mean) ** 2, 0) / phis.length;
    // 10 000 draws: the sample variance of N(0, 4) has a standard error of about 0.06.
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(variance).toBeGreaterThan(3.7);
    expect(variance).toBeLessThan(4.3);
  });
});

describe('an injected RecoGym world', () => {
  const logsOf = (env: RecoGymEnv) => generateLogs(env, { numOfflineUsers: 30 });

  it('reproduces a drawn world exactly: the same Γ and μ give the same β, users, clicks and logs', () => {
    const drawn = new RecoGymEnv({ numProducts: 12, randomSeed: 7, numberOfFlips: 2 });
    const world = drawn.world as RecoGymWorldV1;
    const rows = Array.from({ length: 12 }, (_, i) => Array.from(world.gamma.subarray(i * 5, i * 5 + 5)));
    const injected = new RecoGymEnv(
      { numProducts: 12, randomSeed: 7, numberOfFlips: 2 },
      { world: { gamma: rows, muOrganic: world.muOrganic } },
    );
    const copy = injected.world as RecoGymWorldV1;
    expect(Array.from(copy.beta)).toEqual(Array.from(world.beta));
    expect(Array.from(copy.muBandit)).toEqual(Array.from(world.muBandit));
    expect(Array.from(copy.flipIndex)).toEqual(Array.from(world.flipIndex));
    expect(logsOf(injected)).toEqual(logsOf(new RecoGymEnv({ numProducts: 12, randomSeed: 7, numberOfFlips: 2 })));
  });

  it("uses the given world, not the seed's, and the RecoGym-v1 env takes it in envConfig", () => {
    const other = new RecoGymEnv({ numProducts: 8, randomSeed: 1 }).world as RecoGymWorldV1;
    const env = new RecoGymEnv({ numProducts: 8, randomSeed: 2 }, { world: { gamma: other.gamma, muOrganic: other.muOrganic } });
    expect(Array.from((env.world as RecoGymWorldV1).gamma)).toEqual(Array.from(other.gamma));
    const loom = new RecoGymLoomEnv('v1', {
      numProducts: 8,
      randomSeed: 2,
      world: { gamma: Array.from(other.gamma), muOrganic: Array.from(other.muOrganic) },
    });
    expect(Array.from((loom.recoGym.world as RecoGymWorldV1).muOrganic)).toEqual(Array.from(other.muOrganic));
  });

  it('refuses a world of the wrong shape, a non-finite entry, and a world for v0, naming them', () => {
    const mu = new Float64Array(8);
    expect(() => new RecoGymEnv({ numProducts: 8 }, { world: { gamma: new Float64Array(39), muOrganic: mu } })).toThrow(ConfigError);
    expect(() => new RecoGymEnv({ numProducts: 8 }, { world: { gamma: new Float64Array(39), muOrganic: mu } })).toThrow(
      /gamma must hold 40 numbers \(8 × 5\), got 39/,
    );
    expect(() => new RecoGymEnv({ numProducts: 8 }, { world: { gamma: [[1, 2]], muOrganic: mu } })).toThrow(
      /gamma must have 8 rows of 5 numbers/,
    );
    const gamma = new Float64Array(40);
    gamma[3] = Number.NaN;
    expect(() => new RecoGymEnv({ numProducts: 8 }, { world: { gamma, muOrganic: mu } })).toThrow(
      /gamma\[3\] must be a finite number, got NaN/,
    );
    expect(() => new RecoGymEnv({ numProducts: 8 }, { world: { gamma: new Float64Array(40), muOrganic: new Float64Array(7) } })).toThrow(
      /muOrganic must hold 8 numbers/,
    );
    expect(() => new RecoGymEnv({ numProducts: 8 }, { version: 'v0', world: { gamma: new Float64Array(40), muOrganic: mu } })).toThrow(
      /v1 world/,
    );
  });
});
