import { fileURLToPath } from 'node:url';
import { ConfigError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../register.js';
import { firstCandidate } from './__fixtures__/firstCandidatePolicy.js';
import { evaluatePolicy } from './evaluate.js';
import { namedRecSimPolicies, registerRecSimPolicy } from './registry.js';
import { resolveThreadCount } from './threadPool.js';

const LTS = 'RecSim/LongTermSatisfaction-v0';
const IEV = 'RecSim/InterestEvolution-v0';
const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('evaluatePolicy on worker threads', () => {
  it('gives bit-identical numbers on the current thread, 1 thread and 2 threads for the same seed', async () => {
    const options = { envId: LTS, envConfig: { timeBudget: 40 }, policy: 'random', episodes: 30, episodesPerChunk: 4, seed: 5 };
    const here = await evaluatePolicy(options);
    const one = await evaluatePolicy({ ...options, numThreads: 1 });
    const two = await evaluatePolicy({ ...options, numThreads: 2 });
    expect(one).toEqual(here);
    expect(two).toEqual(here);
    expect(two.meanReturn).toBe(here.meanReturn);
    expect(two.stdErrReturn).toBe(here.stdErrReturn);
    expect(two.episodes).toBe(30);
  });

  it('runs every named baseline in threads, including stateful ones', async () => {
    const options = { envId: IEV, policy: 'greedyQuality', episodes: 6, episodesPerChunk: 2, seed: 9 };
    expect(await evaluatePolicy({ ...options, numThreads: 2 })).toEqual(await evaluatePolicy(options));
  });

  it('builds a policy registered in a TypeScript policy module and an env from a JavaScript env module', async () => {
    const threaded = await evaluatePolicy({
      envId: 'test/ShortLTS-v0',
      policy: 'firstCandidate',
      episodes: 8,
      episodesPerChunk: 3,
      numThreads: 2,
      envModules: [fixture('shortLtsEnv.js')],
      policyModules: [fixture('firstCandidatePolicy.ts')],
    });
    const here = await evaluatePolicy({
      envId: LTS,
      envConfig: { timeBudget: 15 },
      policy: firstCandidate,
      episodes: 8,
      episodesPerChunk: 3,
    });
    expect(threaded.returns).toEqual(here.returns);
    expect(threaded.lengths).toEqual(here.lengths);
  });

  it('refuses policy functions and options.policies with threads, naming the way out', async () => {
    await expect(evaluatePolicy({ envId: LTS, policy: firstCandidate, episodes: 2, numThreads: 2 })).rejects.toThrow(/policyModules/);
    await expect(
      evaluatePolicy({ envId: LTS, policy: 'mine', policies: { mine: firstCandidate }, episodes: 2, numThreads: 2 }),
    ).rejects.toThrow(/"mine" comes from options.policies/);
  });

  it('reports an unknown policy, a module that fails to import and a bad thread count', async () => {
    await expect(evaluatePolicy({ envId: LTS, policy: 'sweetst', episodes: 2, numThreads: 1 })).rejects.toThrow(/unknown policy "sweetst"/);
    await expect(
      evaluatePolicy({ envId: LTS, policy: 'random', episodes: 2, numThreads: 1, policyModules: [fixture('missing.js')] }),
    ).rejects.toThrow(/Could not import policy module ".*missing\.js"/);
    await expect(evaluatePolicy({ envId: LTS, policy: 'random', episodes: 2, numThreads: -1 })).rejects.toThrow(
      /numThreads must be .* got -1/,
    );
  });

  it('rejects with the class of a chunk’s error — a ConfigError for an unknown policy, a policy’s own error — and the process lives on', async () => {
    const unknown = evaluatePolicy({ envId: LTS, policy: 'sweetst', episodes: 2, numThreads: 1 });
    await expect(unknown).rejects.toBeInstanceOf(ConfigError);
    const throwing = evaluatePolicy({
      envId: LTS,
      envConfig: { timeBudget: 10 },
      policy: 'throwsOnAct',
      episodes: 12,
      episodesPerChunk: 1,
      numThreads: 2,
      policyModules: [fixture('throwingPolicy.js')],
    });
    await expect(throwing).rejects.toThrow(/throwsOnAct: this policy always fails/);
    await expect(throwing).rejects.toMatchObject({ name: 'RangeError' });
    // The pool is gone and nothing leaked: the next evaluation runs as usual.
    expect(
      (await evaluatePolicy({ envId: LTS, envConfig: { timeBudget: 10 }, policy: 'random', episodes: 2, numThreads: 2 })).episodes,
    ).toBe(2);
  });

  it('imports policyModules and envModules on the current thread too (numThreads: 0)', async () => {
    // The package's own copy (dist), which the fixture modules register into.
    const envs = await import('@loomrl/envs');
    const options = {
      envId: 'test/ShortLTS-v0',
      policy: 'firstCandidate',
      episodes: 4,
      episodesPerChunk: 2,
      envModules: [fixture('shortLtsEnv.js')],
      policyModules: [fixture('firstCandidatePolicy.ts')],
    };
    const here = await envs.evaluatePolicy(options);
    expect(here).toEqual(await envs.evaluatePolicy({ ...options, numThreads: 2 }));
  });

  it('never starts more threads than there are chunks', () => {
    expect(resolveThreadCount(8, 3)).toBe(3);
    expect(resolveThreadCount('auto', 1)).toBe(1);
    expect(() => resolveThreadCount(1.5, 3)).toThrow(/got 1.5/);
  });

  it('registers named policies once, refusing baseline names and a second factory under a taken name', () => {
    registerRecSimPolicy('testFirst', firstCandidate);
    registerRecSimPolicy('testFirst', firstCandidate);
    expect(namedRecSimPolicies().testFirst).toBe(firstCandidate);
    expect(() => registerRecSimPolicy('random', firstCandidate)).toThrow(/"random" is a built-in baseline/);
    expect(() => registerRecSimPolicy('testFirst', () => ({ act: () => 0 }))).toThrow(/already registered as "testFirst"/);
  });
});
