import { makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../register.js';
import { type ChunkExecutor, evaluatePolicy, planEvaluation, runEvaluationChunk } from './evaluate.js';
import { RECSIM_BASELINE_POLICIES } from './policies.js';
import type { RecSimPolicyFactory } from './policy.js';
import { topPositions } from './policy.js';
import { meanAndStandardError } from './statistics.js';

const LTS = 'RecSim/LongTermSatisfaction-v0';
const IEV = 'RecSim/InterestEvolution-v0';
const IEXP = 'RecSim/InterestExploration-v0';

describe('evaluatePolicy', () => {
  it('computes the mean, the sample standard deviation and the standard error', () => {
    const r = meanAndStandardError([1, 2, 3, 6]);
    expect(r.mean).toBe(3);
    expect(r.std).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect(r.stdErr).toBeCloseTo(Math.sqrt(14 / 3) / 2, 12);
  });

  it('splits episodes into independently seeded chunks', () => {
    const chunks = planEvaluation({ envId: LTS, policy: 'random', episodes: 25, episodesPerChunk: 10, seed: 3 });
    expect(chunks.map((c) => c.episodes)).toEqual([10, 10, 5]);
    expect(new Set(chunks.map((c) => c.envSeed)).size).toBe(3);
    expect(JSON.parse(JSON.stringify(chunks))).toEqual(chunks);
  });

  it('gives identical numbers whatever order the chunks run in', async () => {
    const options = { envId: LTS, envConfig: { timeBudget: 20 }, policy: 'random', episodes: 23, episodesPerChunk: 4, seed: 11 };
    const reversed: ChunkExecutor = async (chunks, policies) => [...chunks].reverse().map((c) => runEvaluationChunk(c, policies));
    const a = await evaluatePolicy(options);
    const b = await evaluatePolicy(options, reversed);
    expect(b).toEqual(a);
    expect(a.episodes).toBe(23);
    expect(a.meanLength).toBe(20);
  });

  it('differs for different evaluation seeds', async () => {
    const run = (seed: number) => evaluatePolicy({ envId: IEV, policy: 'random', episodes: 5, seed });
    expect((await run(1)).returns).not.toEqual((await run(2)).returns);
  });

  it('reproduces the tutorial’s item-argmax policy through the Discrete and bandit wrappers bit for bit', async () => {
    const itemArgmax: RecSimPolicyFactory = () => ({
      act: (obs) => topPositions((obs as { item: Float32Array }).item, 1)[0] as number,
    });
    const envConfig = { numCandidates: 20, slateSize: 2, timeBudget: 30 };
    const ours = await evaluatePolicy({ envId: LTS, envConfig, policy: 'sweetest', episodes: 6 });
    const tutorialStyle = await evaluatePolicy({
      envId: LTS,
      envConfig: { ...envConfig, convertToDiscreteActionSpace: true, wrapForBandits: true },
      policy: itemArgmax,
      episodes: 6,
    });
    expect(tutorialStyle.returns).toEqual(ours.returns);
  });

  it('ranks LTS baselines kale < random < sweet with the tutorial’s user parameters', async () => {
    const envConfig = { numCandidates: 20, slateSize: 2, sensitivity: 0.058, timeBudget: 120, chocStddev: 0.1, kaleStddev: 0.1 };
    const mean = async (policy: string) => (await evaluatePolicy({ envId: LTS, envConfig, policy, episodes: 30 })).meanReturn;
    const kale = await mean('kaleist');
    const random = await mean('random');
    const sweet = await mean('sweetest');
    expect(kale).toBeLessThan(random);
    expect(random).toBeLessThan(sweet);
    expect(Math.abs(sweet - 1162.94)).toBeLessThan(10);
  });

  it('keeps Interest Evolution users longer with greedy policies than with random slates', async () => {
    const run = async (policy: string) => evaluatePolicy({ envId: IEV, policy, episodes: 30, seed: 1 });
    const random = await run('random');
    const click = await run('greedyClick');
    const quality = await run('greedyQuality');
    expect(click.meanReturn).toBeGreaterThan(random.meanReturn);
    expect(quality.meanReturn).toBeGreaterThan(random.meanReturn);
  });

  it('gets more Interest Exploration clicks greedily than at random', async () => {
    const run = async (policy: string) => evaluatePolicy({ envId: IEXP, policy, episodes: 20, seed: 2 });
    const random = await run('random');
    expect((await run('greedyClick')).meanReturn).toBeGreaterThan(random.meanReturn);
    expect((await run('greedyQuality')).meanReturn).toBeGreaterThan(random.meanReturn);
    expect(random.meanLength).toBe(100);
  });

  it('explains when a baseline does not fit the env', async () => {
    await expect(evaluatePolicy({ envId: LTS, policy: 'greedyClick', episodes: 1 })).rejects.toThrow(
      /supports RecSim\/InterestEvolution-v0/,
    );
    await expect(evaluatePolicy({ envId: LTS, envConfig: { flattenObservations: true }, policy: 'sweetest', episodes: 1 })).rejects.toThrow(
      /structured observation/,
    );
    await expect(evaluatePolicy({ envId: LTS, policy: 'sweetst', episodes: 1 })).rejects.toThrow(/unknown policy "sweetst"/);
  });

  it('lists every baseline by name', () => {
    expect(Object.keys(RECSIM_BASELINE_POLICIES).sort()).toEqual(['greedyClick', 'greedyQuality', 'kaleist', 'random', 'sweetest']);
    expect(makeEnv(LTS).actionSpace.toString()).toBe('MultiDiscrete([10, 10])');
  });
});
