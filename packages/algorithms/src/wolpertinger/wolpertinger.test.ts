import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  ConfigError,
  createModule,
  createRng,
  DEFAULT_MODULE_ID,
  type ModuleSpec,
  makeEnv,
  SampleBatch,
  type TrainResult,
} from '@loomrl/core';
import {
  initialWeights,
  nearestItems,
  normalizeRows,
  WolpertingerInference,
  type WolpertingerModule,
  type WolpertingerSpec,
  wolpertingerActorLayout,
  wolpertingerCriticLayout,
} from '@loomrl/core/internal';
import { selectBackend, tf } from '@loomrl/core/tf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreAlgorithm } from '../index.js';
import type { Wolpertinger } from './algorithm.js';
import { WolpertingerConfig } from './config.js';
import type { WolpertingerTrainColumns } from './learner.js';
import { TfWolpertingerEngine } from './tfEngine.js';

const IEV = 'RecSim/InterestEvolution-v0';
const IEXP = 'RecSim/InterestExploration-v0';

/** A small Wolpertinger on a one-item RecSim slate that learns after 100 steps. */
function tinyWolpertinger(env = IEV): WolpertingerConfig {
  return new WolpertingerConfig()
    .environment({ env, envConfig: { numCandidates: 6, slateSize: 1 } })
    .rollouts({ rolloutFragmentLength: 8 })
    .training({ actorHiddens: [16], criticHiddens: [16], k: 3, numStepsSampledBeforeLearningStarts: 100, trainingIntensity: 8 })
    .reporting({ minSampleTimestepsPerIteration: 400, minTimeSPerIteration: null })
    .debugging({ seed: 3, logLevel: 'SILENT' });
}

/** A spec with a 2-number state and `numItems` items of 3 embedding numbers. */
function smallSpec(numItems: number): WolpertingerSpec {
  return { obsDim: 4, stateOffset: 1, stateDim: 2, numItems, embeddingDim: 3, actorHiddens: [5], criticHiddens: [6, 4] };
}

function randomWeights(spec: WolpertingerSpec, seed: number) {
  const rng = createRng(seed);
  return {
    actor: initialWeights(wolpertingerActorLayout(spec), rng).map((w) => w + 0.3 * rng.normal()),
    critic: initialWeights(wolpertingerCriticLayout(spec), rng).map((w) => w + 0.3 * rng.normal()),
    embeddings: Float32Array.from({ length: spec.numItems * spec.embeddingDim }, () => rng.normal()),
  };
}

describe('Wolpertinger acting', () => {
  it('normalises rows and finds the k nearest items, nearest first, ties to the lower index', () => {
    expect(Array.from(normalizeRows(Float32Array.of(3, 4, 0, 0), 2))).toEqual(Array.from(Float32Array.of(0.6, 0.8, 0, 0)));
    const items = Float32Array.of(1, 0, 0, 1, -1, 0, 0.6, 0.8, 0, 1);
    expect(Array.from(nearestItems([0.6, 0.8], items, 2, 3))).toEqual([3, 1, 4]);
    expect(Array.from(nearestItems([-1, 0], items, 2, 1))).toEqual([2]);
  });

  it("picks the critic's best among the k items nearest the normalised proto-action (checked by brute force)", () => {
    const spec = smallSpec(7);
    const model = new WolpertingerInference(spec);
    const w = randomWeights(spec, 1);
    model.setWeights(w.actor, w.critic, w.embeddings);
    const rng = createRng(2);
    const picks = new Set<number>();
    for (let row = 0; row < 40; row++) {
      const obs = Float32Array.from({ length: spec.obsDim }, () => rng.uniform(-2, 2));
      const proto = model.protoAction(obs, 0);
      expect(Math.hypot(...proto)).toBeCloseTo(1, 5);
      const all = model.criticValues(obs, 0, [0, 1, 2, 3, 4, 5, 6]);
      const distance = (i: number) => {
        const e = model.itemEmbeddings.subarray(i * 3, i * 3 + 3);
        return Math.hypot(
          (e[0] as number) - (proto[0] as number),
          (e[1] as number) - (proto[1] as number),
          (e[2] as number) - (proto[2] as number),
        );
      };
      const nearest = [0, 1, 2, 3, 4, 5, 6].sort((a, b) => distance(a) - distance(b)).slice(0, 3);
      const best = nearest.reduce((a, b) => ((all[b] as number) > (all[a] as number) ? b : a));
      expect(model.act(obs, 0, 3)).toBe(best);
      // k = catalogue is the critic's argmax over every item.
      expect(all[model.act(obs, 0, 7)]).toBe(Math.max(...all));
      picks.add(best);
    }
    expect(picks.size).toBeGreaterThan(1);
  });

  it('explores with uniformly random items with probability ε and acts greedily without explore', async () => {
    const algo = tinyWolpertinger()
      .exploration({ explorationConfig: { initialEpsilon: 1, finalEpsilon: 1 } })
      .build();
    try {
      const spec = algo.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec;
      const module = createModule(spec) as WolpertingerModule;
      const model = module.model.spec;
      module.setState(randomWeights(model, 4));
      const rows = 600;
      const obs = Float32Array.from({ length: rows * model.obsDim }, (_, i) => Math.sin(i));
      const explored = module.computeActions(obs, rows, { explore: true, rngs: createRng(5), timestep: 0 }).actions;
      const counts = new Array(6).fill(0);
      for (const a of explored) counts[a] += 1;
      for (const c of counts) expect(c).toBeGreaterThan(60);
      const greedy = Array.from(module.computeActions(obs, rows, { explore: false, rngs: createRng(5), timestep: 0 }).actions);
      expect(greedy).toEqual(Array.from({ length: rows }, (_, r) => module.model.act(obs, r, 3)));
    } finally {
      await algo.stop();
    }
  });
});

describe('the Wolpertinger learner', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it("targets r + γ·Q′(s′, the target policy's item) (r alone at terminal rows) and scores the shown item like the plain-JS critic", () => {
    const spec = smallSpec(5);
    const weights = randomWeights(spec, 6);
    const learner = new TfWolpertingerEngine(spec, weights, { actorLr: 1e-3, criticLr: 1e-3, gamma: 0.9, gradClip: null, k: 2 });
    const plain = new WolpertingerInference(spec);
    plain.setWeights(weights.actor, weights.critic, weights.embeddings);
    const rng = createRng(7);
    const rows = 6;
    const columns = {
      obs: Float32Array.from({ length: rows * 4 }, () => rng.uniform(-1, 1)),
      nextObs: Float32Array.from({ length: rows * 4 }, () => rng.uniform(-1, 1)),
      actions: Float32Array.of(0, 1, 2, 3, 4, 2),
      rewards: Float32Array.of(1, 0, 2, 0, 1, 3),
      terminateds: Uint8Array.of(0, 0, 1, 0, 0, 1),
    } as WolpertingerTrainColumns;
    const batch = new SampleBatch(rows, { obs: 4, nextObs: 4, actions: 1, rewards: 1, terminateds: 1 } as never, columns as never);
    const targets = learner.tdTargets(batch as SampleBatch<WolpertingerTrainColumns>);
    for (let r = 0; r < rows; r++) {
      const item = plain.act(columns.nextObs, r, 2);
      const bootstrap = columns.terminateds[r] === 1 ? 0 : (plain.criticValues(columns.nextObs, r, [item])[0] as number);
      expect(targets[r]).toBeCloseTo((columns.rewards[r] as number) + 0.9 * bootstrap, 5);
    }
    let shownQ = 0;
    for (let r = 0; r < rows; r++) shownQ += plain.criticValues(columns.obs, r, [columns.actions[r] as number])[0] as number;
    const stats = learner.update(batch as SampleBatch<WolpertingerTrainColumns>);
    expect(stats.meanQ).toBeCloseTo(shownQ / rows, 4);
    const after = learner.online.get();
    expect(after.critic).not.toEqual(weights.critic);
    expect(after.actor).not.toEqual(weights.actor);
    expect(after.embeddings).not.toEqual(weights.embeddings);
    // Soft targets move τ of the way.
    learner.updateTargets(0.5);
    const target = learner.target.get();
    for (let i = 0; i < 5; i++) {
      expect(target.critic[i]).toBeCloseTo(0.5 * (weights.critic[i] as number) + 0.5 * (after.critic[i] as number), 5);
    }
    learner.dispose();
  });
});

describe('Wolpertinger on RecSim envs', () => {
  const expectLearned = (results: readonly TrainResult[]) => {
    const last = results.at(-1) as TrainResult;
    expect(last.numEnvStepsTrained).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(last.learnerStats))
      expect(Number.isFinite(value), `learnerStats.${key} = ${value}`).toBe(true);
  };
  async function trainFor(config: WolpertingerConfig, iterations: number): Promise<TrainResult[]> {
    const algo = config.build();
    try {
      const results: TrainResult[] = [];
      for (let i = 0; i < iterations; i++) results.push(await algo.train());
      return results;
    } finally {
      await algo.stop();
    }
  }

  it('trains on one-item slates of Interest Evolution (user features) locally and Interest Exploration (no user features: the whole observation) on 2 workers', async () => {
    expectLearned(await trainFor(tinyWolpertinger(), 2));
    const remote = await trainFor(tinyWolpertinger(IEXP).rollouts({ numRolloutWorkers: 2 }), 2);
    expectLearned(remote);
    expect(remote.at(-1)?.numHealthyWorkers).toBe(2);
  });
});

describe('Wolpertinger checkpoints', () => {
  it('restores its actor, critic and embeddings from a checkpoint, acts like the saved run and trains on', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'loomrl-wolpertinger-')), 'checkpoint');
    const algo = tinyWolpertinger().build();
    const restored: Wolpertinger[] = [];
    try {
      await algo.train();
      await algo.save(dir);
      const saved = algo.getModuleState();
      const copy = (await restoreAlgorithm(dir)) as Wolpertinger;
      restored.push(copy);
      for (const name of ['actor', 'critic', 'embeddings']) {
        expect(Array.from(copy.getModuleState()[name] as Float32Array)).toEqual(Array.from(saved[name] as Float32Array));
      }
      const obs = makeEnv(IEV, { numCandidates: 6, slateSize: 1 }).reset({ seed: 9 }).obs;
      expect(copy.computeSingleAction(obs, { explore: false })).toEqual(algo.computeSingleAction(obs, { explore: false }));
      const next = await copy.train();
      expect(next.trainingIteration).toBe(2);
      expect(next.numEnvStepsTrainedThisIter).toBeGreaterThan(0);
    } finally {
      await Promise.all([algo.stop(), ...restored.map((r) => r.stop())]);
      await rm(dirname(dir), { recursive: true, force: true });
    }
  });
});

describe('Wolpertinger refuses bad input', () => {
  it('refuses k larger than the catalogue, naming k and the catalogue size', () => {
    const config = tinyWolpertinger().training({ k: 7 });
    expect(() => config.build()).toThrow(ConfigError);
    expect(() => config.build()).toThrow(/k .*must be an integer in \[1, 6\] \(the catalogue\), got 7/);
  });

  it('refuses slates of more than one item and envs without user features when asked for them', () => {
    expect(() => new WolpertingerConfig().environment({ env: IEV, envConfig: { numCandidates: 6, slateSize: 2 } }).build()).toThrow(
      /needs a Discrete\(N\) action space or a slate of one.*MultiDiscrete\(\[6, 6\]\)/,
    );
    expect(() => tinyWolpertinger(IEXP).training({ stateFeatures: 'user' }).build()).toThrow(
      /stateFeatures: 'user'.*user observation is empty/,
    );
    expect(() => new WolpertingerConfig().training({ tau: 0 })).toThrow(/tau/);
  });
});
