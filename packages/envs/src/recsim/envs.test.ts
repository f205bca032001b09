import { ActionError, ConfigError, type Env, EnvError, makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../checkEnv.js';
import { RECSIM_ENV_IDS } from './register.js';
import './register.js';

const WRAPPER_OPTIONS: ReadonlyArray<Record<string, unknown>> = [
  {},
  { numCandidates: 20, slateSize: 3 },
  { slateSize: 1, numCandidates: 1 },
  { resampleDocuments: false },
  { convertToDiscreteActionSpace: true },
  { wrapForBandits: true },
  { convertToDiscreteActionSpace: true, wrapForBandits: true },
  { flattenObservations: true },
  { convertToDiscreteActionSpace: true, flattenObservations: true },
  { horizon: 15, seed: 7 },
];

function rollout(env: Env, seed: number | undefined, steps: number): unknown[] {
  const trace: unknown[] = [];
  let { obs } = env.reset(seed === undefined ? undefined : { seed });
  trace.push(obs);
  for (let t = 0; t < steps; t++) {
    const action = Int32Array.from({ length: 2 }, (_, i) => (t * 3 + i * 5) % 10);
    const s = env.step(action);
    trace.push(s.obs, s.reward, s.terminated);
    obs = s.obs;
    if (s.terminated || s.truncated) {
      obs = env.reset().obs;
      trace.push(obs);
    }
  }
  return trace;
}

describe('stock RecSim envs', () => {
  for (const id of RECSIM_ENV_IDS) {
    for (const options of WRAPPER_OPTIONS) {
      it(`pass checkEnv: ${id} ${JSON.stringify(options)}`, () => {
        const report = checkEnv(makeEnv(id, options), { numSteps: 250 });
        expect(report.steps).toBe(250);
      });
    }

    it(`repeat the same episodes for the same seed: ${id}`, () => {
      expect(rollout(makeEnv(id, { seed: 5 }), undefined, 150)).toEqual(rollout(makeEnv(id, { seed: 5 }), undefined, 150));
    });

    it(`differ for different seeds: ${id}`, () => {
      expect(rollout(makeEnv(id, { seed: 5 }), undefined, 40)).not.toEqual(rollout(makeEnv(id, { seed: 6 }), undefined, 40));
    });

    it(`restart exactly as a freshly built env on reset({ seed }): ${id}`, () => {
      const used = makeEnv(id, { seed: 1 });
      rollout(used, undefined, 37);
      expect(rollout(used, 9, 60)).toEqual(rollout(makeEnv(id, { seed: 9 }), undefined, 60));
    });

    it(`key documents "0".."C−1" in candidate order and answer reset with a no-click response: ${id}`, () => {
      const env = makeEnv(id, { numCandidates: 12, slateSize: 3 });
      const { obs } = env.reset() as { obs: { doc: Record<string, unknown>; response: { click: number }[] } };
      expect(Object.keys(obs.doc)).toEqual(Array.from({ length: 12 }, (_, k) => String(k)));
      expect(obs.response).toHaveLength(3);
      for (const r of obs.response) expect(r.click).toBe(0);
    });

    it(`keep one candidate set for every step and episode without resampling: ${id}`, () => {
      const env = makeEnv(id, { resampleDocuments: false, seed: 3 });
      const first = JSON.stringify(
        Object.values((env.reset().obs as { doc: object }).doc).map((d) => Array.from(Object.values(d as object))),
      );
      for (let t = 0; t < 20; t++) {
        const s = env.step(Int32Array.from([t % 10, 0]));
        expect(JSON.stringify(Object.values((s.obs as { doc: object }).doc).map((d) => Array.from(Object.values(d as object))))).toBe(
          first,
        );
      }
      expect(
        JSON.stringify(Object.values((env.reset().obs as { doc: object }).doc).map((d) => Array.from(Object.values(d as object)))),
      ).toBe(first);
    });

    it(`resample the candidate set every step by default: ${id}`, () => {
      const env = makeEnv(id, {});
      const a = JSON.stringify(env.reset().obs);
      const b = JSON.stringify(env.step(Int32Array.from([0, 1])).obs);
      expect(a).not.toBe(b);
    });
  }

  it('let the seed reach LTS samplers (RLlib always used seed 0 there)', () => {
    const docs = (seed: number) =>
      JSON.stringify((makeEnv('RecSim/LongTermSatisfaction-v0', { seed }).reset().obs as { doc: unknown }).doc);
    expect(docs(1)).not.toBe(docs(2));
  });

  it('give sub-envs of a vector different users for the same seed', () => {
    const context = { workerIndex: 0, vectorIndex: 1, numWorkers: 0, remote: false, recreatedWorker: false, inEvaluation: false };
    const a = JSON.stringify(makeEnv('RecSim/InterestEvolution-v0', {}).reset().obs);
    const b = JSON.stringify(makeEnv('RecSim/InterestEvolution-v0', {}, context).reset().obs);
    expect(a).not.toBe(b);
  });

  it('accept shorter slates and duplicates, as RecSim does', () => {
    const env = makeEnv<unknown, number[]>('RecSim/InterestEvolution-v0', { slateSize: 3 });
    env.reset();
    expect(env.observationSpace.contains(env.step([4]).obs)).toBe(true);
    expect(env.observationSpace.contains(env.step([2, 2, 2]).obs)).toBe(true);
    expect(() => env.step([])).toThrow(/1 to 3 positions/);
    expect(() => env.step([10])).toThrow(/\[0, 10\)/);
  });
});

describe('bad envConfig', () => {
  function error(id: string, config: Record<string, unknown>): Error {
    try {
      makeEnv(id, config);
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected makeEnv to throw');
  }

  it('names an unknown key and suggests the nearest one', () => {
    const e = error('RecSim/LongTermSatisfaction-v0', { numCandidate: 20 });
    expect(e).toBeInstanceOf(EnvError);
    expect(e.cause).toBeInstanceOf(ConfigError);
    expect(e.message).toMatch(/unknown envConfig key "numCandidate"\. Did you mean "numCandidates"\?/);
    expect(error('RecSim/InterestEvolution-v0', { slate_size: 2 }).message).toMatch(/Did you mean "slateSize"/);
  });

  it('rejects slateSize greater than numCandidates', () => {
    expect(error('RecSim/InterestEvolution-v0', { numCandidates: 3, slateSize: 4 }).message).toMatch(
      /slateSize \(4\) must be <= envConfig\.numCandidates \(3\)/,
    );
  });

  it('rejects a negative standard deviation, naming the value', () => {
    expect(error('RecSim/LongTermSatisfaction-v0', { chocStddev: -0.1 }).message).toMatch(
      /chocStddev must be a finite number >= 0, got -0\.1/,
    );
    expect(error('RecSim/InterestExploration-v0', { userAffinityStddev: -1 }).message).toMatch(/userAffinityStddev/);
  });

  it('rejects values of the wrong type', () => {
    expect(error('RecSim/LongTermSatisfaction-v0', { numCandidates: '20' }).message).toMatch(
      /numCandidates must be an integer >= 1, got "20" \(a string\)/,
    );
    expect(error('RecSim/LongTermSatisfaction-v0', { timeBudget: 12.5 }).message).toMatch(/timeBudget must be an integer/);
    expect(error('RecSim/InterestEvolution-v0', { resampleDocuments: 1 }).message).toMatch(/resampleDocuments must be true or false/);
    expect(error('RecSim/InterestExploration-v0', { userTypeProbs: [0.5, 0.6] }).message).toMatch(/must sum to 1/);
    expect(error('RecSim/InterestExploration-v0', { userAffinityMeans: [[0.1, 0.2, 0.3]] }).message).toMatch(/rows/);
  });

  it('rejects a min normalizer that would make click weights negative', () => {
    expect(error('RecSim/InterestEvolution-v0', { minNormalizer: 0 }).message).toMatch(/minNormalizer must be a finite number <= -1/);
  });
});

describe('slates with a candidate shown twice', () => {
  it.each(RECSIM_ENV_IDS)('%s accepts them by default, as RecSim does, and refuses them with allowDuplicateItems: false', (id) => {
    const lenient = makeEnv(id, {});
    lenient.reset({ seed: 1 });
    expect(() => lenient.step(Int32Array.of(3, 3))).not.toThrow();
    const strict = makeEnv(id, { allowDuplicateItems: false });
    strict.reset({ seed: 1 });
    expect(() => strict.step(Int32Array.of(3, 3))).toThrow(ActionError);
    expect(() => strict.step(Int32Array.of(3, 3))).toThrow(/slate \[3, 3\] shows candidate 3 at positions 0 and 1/);
    expect(() => strict.step(Int32Array.of(3, 4))).not.toThrow();
  });
});
