import { ActionError, EnvError, listEnvs, makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../checkEnv.js';
import { RecoGymLoomEnv } from './loomEnv.js';
import './register.js';

describe('RecoGym as a LoomRL Env', () => {
  it('registers RecoGym-v1 and RecoGym-v0', () => {
    expect(listEnvs()).toEqual(expect.arrayContaining(['RecoGym-v0', 'RecoGym-v1']));
  });

  for (const [id, config] of [
    ['RecoGym-v1', {}],
    ['RecoGym-v1', { numProducts: 100, observationFeatures: 'frequencies' }],
    ['RecoGym-v0', { numProducts: 12, numClusters: 3 }],
  ] as const) {
    it(`passes checkEnv: ${id} ${JSON.stringify(config)}`, () => {
      const report = checkEnv(makeEnv(id, config));
      expect(report.warnings).toEqual([]);
      expect(report.episodes).toBeGreaterThan(0);
    });
  }

  it('observes the running organic view counts of the current user and rewards clicks', () => {
    const env = new RecoGymLoomEnv('v1', { numProducts: 10, randomSeed: 3 });
    const { obs } = env.reset({ seed: 1 });
    expect(env.observationSpace.contains(obs)).toBe(true);
    let views = Array.from(obs).reduce((s, x) => s + x, 0);
    expect(views).toBeGreaterThan(0);
    let clicks = 0;
    for (let i = 0; i < 2000; i++) {
      const step = env.step(i % 10);
      views += Number(step.info.organicViews);
      expect(Array.from(step.obs).reduce((s, x) => s + x, 0)).toBe(views);
      expect([0, 1]).toContain(step.reward);
      clicks += step.reward;
      expect(step.truncated).toBe(false);
      if (step.terminated) views = Array.from(env.reset().obs).reduce((s, x) => s + x, 0);
    }
    expect(clicks).toBeGreaterThan(0);
  });

  it('shares one world across workers but gives each its own users', () => {
    const context = { workerIndex: 2, vectorIndex: 1, numWorkers: 2, remote: true, recreatedWorker: false, inEvaluation: false };
    const local = makeEnv('RecoGym-v1', { randomSeed: 7 }) as RecoGymLoomEnv;
    const remote = makeEnv('RecoGym-v1', { randomSeed: 7 }, context) as RecoGymLoomEnv;
    expect(remote.recoGym.world).toEqual(local.recoGym.world);
    expect(Array.from(remote.reset().obs)).not.toEqual(Array.from(local.reset().obs));
  });

  it('rejects an action outside the catalogue and an unknown config key', () => {
    const env = makeEnv('RecoGym-v1', { numProducts: 5 });
    expect(() => env.step(1)).toThrow(EnvError);
    env.reset({ seed: 0 });
    expect(() => env.step(5)).toThrow(ActionError);
    expect(() => env.step(5)).toThrow(/action must be a product in Discrete\(5\) \(an integer in \[0, 4\]\), got 5/);
    expect(() => makeEnv('RecoGym-v1', { numProduct: 5 })).toThrow(/unknown envConfig key "numProduct"\. Did you mean "numProducts"\?/);
    expect(() => makeEnv('RecoGym-v1', { numProducts: 0 })).toThrow(/numProducts must be an integer >= 1, got 0/);
  });
});
