import {
  ConfigError,
  createModule,
  createRng,
  DEFAULT_MODULE_ID,
  type Dict,
  type ModuleSpec,
  makeEnv,
  SampleBatch,
  type SlateQModuleConfig,
  type TrainResult,
} from '@loomrl/core';
import {
  initialWeights,
  maximizeSlateByEnumeration,
  noClickInputDim,
  noClickInputs,
  type SlateQModule,
  selectSlate,
  slateChoiceWeights,
  slateObservationLayout,
  slateQInputDim,
  slateQInputs,
  slateQNetworkLayout,
  slateQNetworkOf,
} from '@loomrl/core/internal';
import { selectBackend, TfWeights, tf } from '@loomrl/core/tf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { nextSlates } from './algorithm.js';
import { SlateQConfig } from './config.js';
import type { SlateQTrainColumns } from './learner.js';
import { allItemQ, noClickQ, TfSlateQEngine } from './tfEngine.js';

/** The slate layout of an env (what SlateQ puts in its module config). */
const spaceLayout = (env: { observationSpace: Dict | unknown; actionSpace: unknown }) =>
  slateObservationLayout(env.observationSpace as never, env.actionSpace as never);

const LTS = 'RecSim/LongTermSatisfaction-v0';
const IEV = 'RecSim/InterestEvolution-v0';
const IEXP = 'RecSim/InterestExploration-v0';

/** A small SlateQ that learns after 200 steps, with ε decaying over 1000. */
function tinySlateQ(env: string, envConfig: Record<string, unknown> = {}): SlateQConfig {
  return new SlateQConfig()
    .environment({ env, envConfig: { numCandidates: 5, slateSize: 2, ...envConfig } })
    .training({ fcnetHiddensPerCandidate: [16, 8], numStepsSampledBeforeLearningStarts: 200, trainBatchSize: 16 })
    .exploration({ explorationConfig: { warmupTimesteps: 200, epsilonTimesteps: 1000 } })
    .reporting({ minSampleTimestepsPerIteration: 500, minTimeSPerIteration: null })
    .debugging({ seed: 5, logLevel: 'SILENT' });
}

async function trainFor(config: SlateQConfig, iterations: number): Promise<TrainResult[]> {
  const algo = config.build();
  try {
    const results: TrainResult[] = [];
    for (let i = 0; i < iterations; i++) results.push(await algo.train());
    return results;
  } finally {
    await algo.stop();
  }
}

function expectLearned(results: readonly TrainResult[]): void {
  const last = results.at(-1) as TrainResult;
  expect(last.numEnvStepsTrained).toBeGreaterThan(0);
  for (const [key, value] of Object.entries(last.learnerStats)) expect(Number.isFinite(value), `learnerStats.${key} = ${value}`).toBe(true);
  expect(last.episodesTotal).toBeGreaterThan(0);
}

describe('SlateQ acting', () => {
  it('acts with the best slate by brute force over its item Q values and click scores, and explores with random duplicate-free slates', async () => {
    const algo = tinySlateQ(IEV).build();
    try {
      const spec = algo.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec;
      const module = createModule(spec) as SlateQModule;
      const layout = slateQNetworkLayout(slateQNetworkOf(spec));
      module.setState({ policy: initialWeights(layout, createRng(1)).map((w) => w * 20) });
      const env = makeEnv(IEV, { numCandidates: 5, slateSize: 2 });
      const config = spec.config as SlateQModuleConfig;
      const weights = new Float64Array(10);
      let { obs } = env.reset({ seed: 2 });
      for (let t = 0; t < 50; t++) {
        const flat = env.observationSpace.flatten(obs);
        const greedy = module.computeActions(flat, 1, { explore: false, rngs: createRng(t), timestep: 0 }).actions;
        const q = new Float32Array(module.network.itemQValues(flat, 1));
        const noClickValue = module.network.noClickValues(flat, 1)[0] as number;
        const noClick = slateChoiceWeights(config.choiceModel, config.layout, null, flat, 0, weights);
        const best = new Int32Array(2);
        const problem = { numCandidates: 5, slateSize: 2, weights, noClickWeight: noClick, q, noClickValue, positionDependent: false };
        const value = maximizeSlateByEnumeration(problem, best);
        expect(module.slateProblem(flat, 0, q).noClickWeight).toBe(2);
        // Any order of the best set is optimal when clicks do not depend on the position.
        expect(maximizeSlateByEnumeration(problem, new Int32Array(2))).toBe(value);
        expect([...greedy].sort()).toEqual([...best].sort());
        const explored = module.computeActions(flat, 1, { explore: true, rngs: createRng(t), timestep: 0 }).actions;
        expect(explored[0]).not.toBe(explored[1]);
        obs = env.step(Int32Array.from(greedy)).obs;
      }
    } finally {
      await algo.stop();
    }
  });

  it.each(['greedy', 'topK'] as const)("acts with RecSim SlateDecompQ's %s slate selection when asked", async (slateSelection) => {
    const algo = tinySlateQ(IEV).training({ slateSelection }).build();
    try {
      const spec = algo.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec;
      const module = createModule(spec) as SlateQModule;
      module.setState({ policy: initialWeights(slateQNetworkLayout(slateQNetworkOf(spec)), createRng(3)).map((w) => w * 20) });
      const env = makeEnv(IEV, { numCandidates: 5, slateSize: 2 });
      let { obs } = env.reset({ seed: 4 });
      for (let t = 0; t < 30; t++) {
        const flat = env.observationSpace.flatten(obs);
        const acted = Array.from(module.computeActions(flat, 1, { explore: false, rngs: createRng(t), timestep: 0 }).actions);
        const q = new Float32Array(module.network.itemQValues(flat, 1));
        const expected = new Int32Array(2);
        selectSlate(module.slateProblem(flat, 0, q, module.network.noClickValues(flat, 1)[0] as number), slateSelection, expected);
        expect(acted).toEqual(Array.from(expected));
        obs = env.step(Int32Array.from(acted)).obs;
      }
    } finally {
      await algo.stop();
    }
  });

  it('follows SlateEpsilonGreedy: ε = 1 during the warm-up, then linear to the final ε', async () => {
    const results = await trainFor(
      tinySlateQ(IEV).exploration({ explorationConfig: { warmupTimesteps: 500, epsilonTimesteps: 1000, finalEpsilon: 0.1 } }),
      3,
    );
    expect(results.map((r) => r.learnerStats.curEpsilon)).toEqual([1, expect.closeTo(0.55, 6), expect.closeTo(0.1, 9)]);
  });
});

describe('the SlateQ learner', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  const spaces = () => ({ env: makeEnv(IEV, { numCandidates: 3, slateSize: 2 }) });

  it.each(['perCandidate', 'shared'] as const)('computes the same item Q values as the plain-JS module (%s towers)', (towers) => {
    const { env } = spaces();
    const module = createModule({
      kind: 'slateQ',
      observationSpace: env.observationSpace.toJSON(),
      actionSpace: env.actionSpace.toJSON(),
      config: {
        hiddens: [8, 4],
        towers,
        learnNoClickValue: true,
        layout: spaceLayout(env),
        choiceModel: { type: 'fixedProportional', minNormalizer: -1, noClickMass: 1 },
        exploration: { type: 'SlateEpsilonGreedy', initialEpsilon: 1, warmupTimesteps: 0, epsilonTimesteps: 1, finalEpsilon: 0 },
      },
    }) as SlateQModule;
    const spec = module.network.spec;
    const layout = slateQNetworkLayout(spec);
    const rng = createRng(4);
    const w = initialWeights(layout, rng).map((x) => x + 0.1 * rng.normal());
    module.setState({ policy: w });
    const rows = 5;
    const obs = new Float32Array(rows * spec.layout.obsDim).map(() => rng.uniform(-1, 1));
    const plain = new Float32Array(module.network.itemQValues(obs, rows));
    const inputs = new Float32Array(rows * 3 * slateQInputDim(spec));
    slateQInputs(spec, obs, rows, inputs);
    const tfWeights = new TfWeights(layout, w);
    const fromTf = tf.tidy(() => allItemQ(spec, layout, tfWeights, inputs, rows).dataSync());
    for (let i = 0; i < plain.length; i++) expect(Math.abs((plain[i] as number) - (fromTf[i] as number))).toBeLessThan(1e-5);
    const plainNoClick = new Float32Array(module.network.noClickValues(obs, rows));
    const noClickIn = new Float32Array(rows * noClickInputDim(spec));
    noClickInputs(spec, obs, rows, noClickIn);
    const noClickTf = tf.tidy(() => noClickQ(spec, layout, tfWeights, noClickIn, rows).dataSync());
    for (let r = 0; r < rows; r++) expect(Math.abs((plainNoClick[r] as number) - (noClickTf[r] as number))).toBeLessThan(1e-5);
    expect(new Set(plainNoClick).size).toBeGreaterThan(1);
    tfWeights.dispose();
  });

  it('bootstraps from the next observation (RLlib did from the current one: targetQFromCurrentObs), with the no-click value when learned', () => {
    const { env } = spaces();
    const layout = spaceLayout(env);
    // One linear shared tower: Q(u, d) = 10·d₀ + d₁ (only the document features matter).
    const spec = { layout, hiddens: [], towers: 'shared' as const, noClickTower: false };
    const weights = new Float32Array(slateQNetworkLayout(spec).size);
    weights[layout.userDim] = 10;
    weights[layout.userDim + 1] = 1;
    const settings = {
      lr: 1e-3,
      gradClip: null,
      adamEpsilon: 1e-5,
      gamma: 0.5,
      useHuber: false,
      huberThreshold: 1,
      lrChoiceModel: 1e-3,
      targetQFromCurrentObs: false,
      targetSlateSelection: 'optimal' as const,
    };
    const fixed = { type: 'fixedProportional', minNormalizer: -1, noClickMass: 1 } as const;
    const space = env.observationSpace;
    const observation = (docs: number[][], user: number[]) => {
      const zero = env.reset({ seed: 0 }).obs as { response: unknown[] };
      const doc: Record<string, Float32Array> = {};
      docs.forEach((d, k) => {
        const features = new Float32Array(20);
        d.forEach((v, j) => {
          features[j] = v;
        });
        doc[String(k)] = features;
      });
      const u = new Float32Array(20);
      user.forEach((v, j) => {
        u[j] = v;
      });
      return space.flatten({ user: u, doc, response: zero.response });
    };
    // Next candidates: e0 (Q 10), e1 (Q 1), e0 (Q 10); the user likes feature 0 (u₀ = 1: score 2) and not feature 1 (u₁ = −1: score 0).
    const obs = observation(
      [
        [0, 1],
        [0, 1],
        [0, 1],
      ],
      [0, 0],
    );
    const next = observation(
      [
        [1, 0],
        [0, 1],
        [1, 0],
      ],
      [1, -1],
    );
    const batch = new SampleBatch<SlateQTrainColumns>(
      1,
      { obs: obs.length, nextObs: next.length, actions: 2, rewards: 1, terminateds: 1, batchIndexes: 1, weights: 1 },
      {
        obs,
        nextObs: next,
        actions: Float32Array.of(0, 1),
        rewards: Float32Array.of(4),
        terminateds: Uint8Array.of(0),
        batchIndexes: Int32Array.of(0),
        weights: Float32Array.of(1),
      },
    );
    // Best next slate {0, 2}: (2·10 + 2·10) / (2 + 2 + 2) = 20/3 → target 4 + 0.5·20/3.
    const learner = new TfSlateQEngine({ spec: spec, choiceModel: fixed, weights: weights, choiceParams: null, settings: settings });
    expect(learner.tdTargets(batch)[0]).toBeCloseTo(4 + 0.5 * (40 / 6), 5);
    // RLlib's quirk: Q on the current candidates (all e1: Q 1) with the next scores → (2·1 + 2·1)/6.
    const quirk = new TfSlateQEngine({
      spec: spec,
      choiceModel: fixed,
      weights: weights,
      choiceParams: null,
      settings: { ...settings, targetQFromCurrentObs: true },
    });
    expect(quirk.tdTargets(batch)[0]).toBeCloseTo(4 + 0.5 * (4 / 6), 5);
    const terminal = new SampleBatch<SlateQTrainColumns>(1, batch.widths, { ...batch.columns, terminateds: Uint8Array.of(1) });
    expect(learner.tdTargets(terminal)[0]).toBeCloseTo(4, 6);
    // With Q(s, ⊥) = 3 (a no-click tower that is only a bias): (2·10 + 2·10 + 2·3) / 6.
    const withNull = { ...spec, noClickTower: true };
    const nullWeights = new Float32Array(slateQNetworkLayout(withNull).size);
    nullWeights.set(weights);
    nullWeights[nullWeights.length - 1] = 3;
    const paper = new TfSlateQEngine({ spec: withNull, choiceModel: fixed, weights: nullWeights, choiceParams: null, settings: settings });
    expect(paper.tdTargets(batch)[0]).toBeCloseTo(4 + 0.5 * (46 / 6), 5);
    // RecSim SlateDecompQ's target variants: candidates A (score 2, Q 10), B (1.2, 2), C (0, 1), no-click 2.
    // Optimal = greedy = {A, C}: 20/4 = 5; top-K by score·Q picks {A, B}: 22.4/5.2.
    const mixed = new SampleBatch<SlateQTrainColumns>(1, batch.widths, {
      ...batch.columns,
      nextObs: observation(
        [
          [1, 0],
          [0.2, 0],
          [0, 1],
        ],
        [1, -1],
      ),
    });
    const withTarget = (targetSlateSelection: 'optimal' | 'greedy' | 'topK') =>
      new TfSlateQEngine({
        spec: spec,
        choiceModel: fixed,
        weights: weights,
        choiceParams: null,
        settings: { ...settings, targetSlateSelection },
      });
    const [optimal, greedy, topK] = [withTarget('optimal'), withTarget('greedy'), withTarget('topK')];
    expect(optimal.tdTargets(mixed)[0]).toBeCloseTo(4 + 0.5 * 5, 5);
    expect(greedy.tdTargets(mixed)[0]).toBeCloseTo(4 + 0.5 * 5, 5);
    expect(topK.tdTargets(mixed)[0]).toBeCloseTo(4 + 0.5 * (22.4 / 5.2), 5);
    // SARSA (compute_target_sarsa): the slate shown next, (B, C): (1.2·2 + 0·1) / (2 + 1.2 + 0) = 0.75; unknown (−1) → optimal.
    const sarsa = new TfSlateQEngine({
      spec: spec,
      choiceModel: fixed,
      weights: weights,
      choiceParams: null,
      settings: { ...settings, targetSlateSelection: 'sarsa' },
    });
    const shownNext = (nextActions: Float32Array) =>
      new SampleBatch<SlateQTrainColumns>(1, { ...batch.widths, nextActions: 2 }, { ...mixed.columns, nextActions });
    expect(sarsa.tdTargets(shownNext(Float32Array.of(1, 2)))[0]).toBeCloseTo(4 + 0.5 * 0.75, 5);
    expect(sarsa.tdTargets(shownNext(Float32Array.of(-1, -1)))[0]).toBeCloseTo(4 + 0.5 * 5, 5);
    for (const l of [learner, quirk, paper, optimal, greedy, topK, sarsa]) l.dispose();
  });

  it("pairs each replayed row with the slate its episode showed next (SARSA's A'), −1 where that step is not sampled", () => {
    const rows = 5;
    const batch = new SampleBatch(
      rows,
      { actions: 2, epsId: 1, envId: 1, t: 1, terminateds: 1, truncateds: 1 } as never,
      {
        actions: Float32Array.of(0, 1, 2, 3, 4, 0, 1, 2, 3, 4),
        epsId: Float64Array.of(7, 7, 7, 8, 9),
        envId: Int32Array.of(0, 0, 0, 0, 1),
        t: Int32Array.of(0, 1, 2, 0, 5),
        terminateds: Uint8Array.of(0, 0, 1, 0, 0),
        truncateds: Uint8Array.of(0, 0, 0, 0, 0),
      } as never,
    );
    // Row 0 → row 1's slate, row 1 → row 2's; row 2 ended; rows 3 and 4 continue outside the batch.
    expect(Array.from(nextSlates(batch as never))).toEqual([2, 3, 4, 0, -1, -1, -1, -1, -1, -1]);
  });
});

describe('SlateQ on the three RecSim envs', () => {
  /** A few thousand env steps: 3 iterations of 1000, one update per 16 steps of each env. */
  const smoke = (config: SlateQConfig) =>
    trainFor(config.rollouts({ rolloutFragmentLength: 16 }).reporting({ minSampleTimestepsPerIteration: 1000 }), 3);

  it("learns on Interest Evolution with RLlib's fixed click scores for 3000 env steps, locally", async () => {
    expectLearned(await smoke(tinySlateQ(IEV)));
  });

  it("learns on Interest Evolution with RecSim's SARSA targets (slate_greedy_sarsa) for 3000 env steps, locally", async () => {
    const results = await smoke(tinySlateQ(IEV).training({ slateSelection: 'greedy', targetSlateSelection: 'sarsa' }));
    expectLearned(results);
    expect(results.at(-1)?.learnerStats.meanTarget).toBeGreaterThan(0);
  });

  it('learns on Long Term Satisfaction and Interest Exploration with a learned choice model for 3000 env steps, locally', async () => {
    for (const env of [LTS, IEXP]) {
      const results = await smoke(tinySlateQ(env).training({ useLearnedChoiceModel: true }));
      expectLearned(results);
      expect(results.at(-1)?.timestepsTotal).toBeGreaterThanOrEqual(3000);
      expect(results.at(-1)?.learnerStats.choiceModelLoss).toBeGreaterThan(0);
    }
  });

  it('learns on all three envs for 3000 env steps on 2 remote workers (per-candidate and shared towers)', async () => {
    for (const [env, towers] of [
      [IEV, 'perCandidate'],
      [LTS, 'shared'],
      [IEXP, 'perCandidate'],
    ] as const) {
      const config = tinySlateQ(env)
        .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 2 })
        .training({ useLearnedChoiceModel: env !== IEV, candidateTowers: towers });
      const results = await smoke(config);
      expectLearned(results);
      expect(results.at(-1)?.timestepsTotal).toBeGreaterThanOrEqual(3000);
      expect(results.at(-1)?.numHealthyWorkers).toBe(2);
    }
  });
});

describe('SlateQ refuses bad input', () => {
  it('refuses an env without the RecSim observation structure, naming the space', () => {
    const onCartPole = new SlateQConfig().environment({ env: 'CartPole-v1' }).debugging({ logLevel: 'SILENT' });
    expect(() => onCartPole.build()).toThrow(ConfigError);
    expect(() => onCartPole.build()).toThrow(/RecSim's observation structure.*the observation is not a Dict.*Box/);
    const flattened = new SlateQConfig().environment({ env: IEV, envConfig: { flattenObservations: true } });
    expect(() => flattened.build()).toThrow(/RecSim's observation structure/);
    const discrete = new SlateQConfig().environment({ env: IEV, envConfig: { convertToDiscreteActionSpace: true } });
    expect(() => discrete.build()).toThrow(/acts with MultiDiscrete\(\[C\]\*S\) slates, got the action space Discrete\(100\)/);
  });

  it('refuses a slate size larger than the candidates (the env does, and so does the slate layout)', async () => {
    const algo = new SlateQConfig()
      .environment({ env: IEV, envConfig: { numCandidates: 2, slateSize: 3 } })
      .debugging({ logLevel: 'SILENT' })
      .build();
    await expect(algo.train()).rejects.toThrow(/slateSize \(3\) must be <= envConfig.numCandidates \(2\)/);
    await algo.stop();
  });

  it("refuses RLlib's fixed click scores on an env whose user and document features differ, pointing at useLearnedChoiceModel", () => {
    expect(() => new SlateQConfig().environment({ env: LTS }).build()).toThrow(/1 document features.*useLearnedChoiceModel: true/);
  });

  it('refuses other exploration types and n-step returns, naming the option', () => {
    expect(() =>
      new SlateQConfig()
        .environment({ env: IEV })
        .exploration({ explorationConfig: { type: 'EpsilonGreedy' } })
        .build(),
    ).toThrow(/SlateQ explores with "SlateEpsilonGreedy", got "EpsilonGreedy"/);
    expect(() => new SlateQConfig().training({ nStep: 3 })).toThrow(/nStep.*expected 1 \(SlateQ bootstraps/);
  });
});
