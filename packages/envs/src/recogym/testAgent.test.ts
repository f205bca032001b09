import { ConfigError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { RecoGymLogregAgent } from './agents/logreg.js';
import { RecoGymOrganicUserEventCounterAgent } from './agents/organicUserCounter.js';
import { RecoGymRandomAgent } from './agents/random.js';
import { betaQuantile } from './betaQuantile.js';
import { RecoGymEnv } from './env.js';
import { generateLogs } from './logs.js';
import { testAgent } from './testAgent.js';

const options = { numOfflineUsers: 100, numOnlineUsers: 300 };

describe('testAgent', () => {
  it('reports the median and 95% interval of Beta(clicks + 1, non-clicks + 1)', () => {
    const result = testAgent(new RecoGymEnv({ randomSeed: 1 }), new RecoGymRandomAgent({ randomSeed: 1 }), options);
    const a = result.successes + 1;
    const b = result.failures + 1;
    expect(result.median).toBe(betaQuantile(0.5, a, b));
    expect(result.lower).toBe(betaQuantile(0.025, a, b));
    expect(result.upper).toBe(betaQuantile(0.975, a, b));
    expect(result.lower).toBeLessThan(result.median);
    expect(result.median).toBeLessThan(result.upper);
    expect(result.terminalRows).toBe(300);
  });

  it('counts each test user’s terminal row unless told not to', () => {
    const run = (includeTerminalRows: boolean) =>
      testAgent(new RecoGymEnv({ randomSeed: 2 }), new RecoGymRandomAgent({ randomSeed: 2 }), { ...options, includeTerminalRows });
    const withTerminal = run(true);
    const without = run(false);
    expect(without.successes).toBe(withTerminal.successes);
    expect(withTerminal.failures - without.failures).toBe(300);
    expect(without.median).toBeGreaterThan(withTerminal.median);
  });

  it('is deterministic per seed', () => {
    const run = () => testAgent(new RecoGymEnv({ randomSeed: 3 }), new RecoGymOrganicUserEventCounterAgent({ randomSeed: 3 }), options);
    expect(run()).toEqual(run());
    const env = new RecoGymEnv({ randomSeed: 3 });
    generateLogs(env, { numOfflineUsers: 7 });
    const reseeded = testAgent(env, new RecoGymOrganicUserEventCounterAgent({ randomSeed: 3 }), { ...options, seed: 11 });
    const fresh = testAgent(new RecoGymEnv({ randomSeed: 3 }), new RecoGymOrganicUserEventCounterAgent({ randomSeed: 3 }), {
      ...options,
      seed: 11,
    });
    expect(reseeded).toEqual(fresh);
  });

  it('sums epochs from a factory and refuses to reuse one agent across epochs', () => {
    const result = testAgent(new RecoGymEnv({ randomSeed: 4 }), () => new RecoGymRandomAgent(), {
      ...options,
      numEpochs: 2,
      epochWithRandomReset: true,
    });
    expect(result.terminalRows).toBe(600);
    expect(() => testAgent(new RecoGymEnv(), new RecoGymRandomAgent(), { ...options, numEpochs: 2 })).toThrow(ConfigError);
  });

  it('ranks personalised agents above random, as RecoGym does', () => {
    const big = { numOfflineUsers: 300, numOnlineUsers: 600 };
    const random = testAgent(new RecoGymEnv({ numProducts: 100, randomSeed: 5 }), new RecoGymRandomAgent({ numProducts: 100 }), big);
    const counter = testAgent(
      new RecoGymEnv({ numProducts: 100, randomSeed: 5 }),
      new RecoGymOrganicUserEventCounterAgent({ numProducts: 100 }),
      big,
    );
    const learned = testAgent(new RecoGymEnv({ numProducts: 100, randomSeed: 5 }), new RecoGymLogregAgent({ numProducts: 100 }), big);
    expect(counter.lower).toBeGreaterThan(random.upper);
    expect(learned.lower).toBeGreaterThan(random.upper);
  });
});
