import { Box, ConfigError, Dict, Discrete, MultiDiscrete, makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../register.js';
import type { AgentObservation } from './agent.js';
import { FullSlateQAgent } from './fullSlateQAgent.js';

const box = () => new Box({ low: -5, high: 5, shape: [2] });
const spaces = {
  observationSpace: new Dict({ user: box(), doc: new Dict({ '0': box(), '1': box(), '2': box() }), response: new Discrete(2) }),
  actionSpace: new MultiDiscrete([3, 3]),
};
const observation = (user: number[], docs: number[][]): AgentObservation => ({
  user: Float32Array.from(user),
  doc: Object.fromEntries(docs.map((d, k) => [String(k), Float32Array.from(d)])),
  response: null,
});
// Greedy from the first action, an update and a target copy every step, the newest transition only.
const handCase = { ...spaces, minReplayHistory: 0, updatePeriod: 1, targetUpdatePeriod: 1, epsilonTrain: 0, epsilonDecayPeriod: 1 };
const agentFor = (extra: Partial<ConstructorParameters<typeof FullSlateQAgent>[0]> = {}) =>
  new FullSlateQAgent({ ...handCase, replayCapacity: 1, batchSize: 1, learningRate: 0.5, gamma: 0.5, ...extra });

const A = observation(
  [1, 0],
  [
    [1, 0],
    [0, 1],
    [1, 1],
  ],
);
const B = observation(
  [0, 0],
  [
    [0, 0],
    [0, 0],
    [2, 0],
  ],
);

describe('FullSlateQAgent', () => {
  it('learns whole-slate Q by Huber TD on the next state (hand-computed updates)', () => {
    const agent = agentFor();
    // All Q are 0: the first ordered slate (0, 1) is the greedy one. φ(A, (0,1)) = [1,0 | 1,0 | 0,1 | bias 1].
    expect(agent.beginEpisode(A)).toEqual([0, 1]);
    // Update 1: y = 2 + 0.5·max Q_target(A) = 2, δ = −2 → clipped to −1: w = 0.5·φ.
    expect(agent.step(2, A)).toEqual([0, 1]);
    expect(Array.from(agent.weights)).toEqual([0.5, 0, 0.5, 0, 0, 0.5, 0.5]);
    // Q(A, (0,1)) = 2 is the first maximum again. Update 2 on (A, (0,1), 0.5, B): max Q_target(B) = Q(B, (2,0)) = 0.5 + 0.5·2 = 1.5,
    // y = 0.5 + 0.5·1.5 = 1.25, δ = 0.75 (inside Huber's quadratic part): w ← w − 0.5·0.75·φ = 0.125·φ.
    // (Bootstrapping from the current state A, RecSim's bug, would give y = 1.5 and w = 0.25·φ.)
    agent.step(0.5, B);
    expect(Array.from(agent.weights)).toEqual([0.125, 0, 0.125, 0, 0, 0.125, 0.125]);
    expect(agent.qValue(agent.rowsOf(A), [0, 1])).toBeCloseTo(0.5, 12);
  });

  it('stores a terminated episode end without bootstrap and a cut one with it', () => {
    const terminated = agentFor({ updatePeriod: 1 });
    terminated.beginEpisode(A);
    terminated.step(2, A); // w = 0.5·φ(A,(0,1)), Q(A,(0,1)) = 2
    terminated.endEpisode(1, A, true); // stored with y = 1; trained at the next episode's first step
    terminated.beginEpisode(B); // δ = 2 − 1 → clipped 1: w ← w − 0.5·φ = 0
    expect(Array.from(terminated.weights)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const cut = agentFor();
    cut.beginEpisode(A);
    cut.step(2, A);
    cut.endEpisode(1, A, false); // y = 1 + 0.5·2 = 2 = Q: no change
    cut.beginEpisode(B);
    expect(Array.from(cut.weights)).toEqual([0.5, 0, 0.5, 0, 0, 0.5, 0.5]);
  });

  it("decays ε linearly after the warm-up (Dopamine's schedule) and acts with ε_eval in eval mode", () => {
    const agent = new FullSlateQAgent({ ...spaces, minReplayHistory: 10, epsilonDecayPeriod: 100, epsilonTrain: 0.1 });
    expect(agent.epsilon).toBe(1);
    agent.trainingSteps = 60; // (1 − 0.1)·(100 + 10 − 60)/100 = 0.45
    expect(agent.epsilon).toBeCloseTo(0.55, 12);
    agent.trainingSteps = 1000;
    expect(agent.epsilon).toBeCloseTo(0.1, 12);
    expect(new FullSlateQAgent({ ...spaces, evalMode: true }).epsilon).toBe(0.001);
  });

  it('explores every ordered slate, runs on Interest Exploration and restores its bundle', () => {
    const env = makeEnv('RecSim/InterestExploration-v0', { numCandidates: 4, slateSize: 2, horizon: 20 });
    const agent = new FullSlateQAgent({
      observationSpace: env.observationSpace,
      actionSpace: env.actionSpace,
      minReplayHistory: 50,
      epsilonDecayPeriod: 200,
      batchSize: 8,
      targetUpdatePeriod: 50,
      randomSeed: 3,
    });
    const seen = new Set<string>();
    for (let episode = 0; episode < 20; episode++) {
      let result = { obs: env.reset({ seed: episode }).obs, reward: 0, terminated: false, truncated: false };
      let slate = agent.beginEpisode(result.obs as AgentObservation);
      while (!result.terminated && !result.truncated) {
        seen.add(slate.join(','));
        result = env.step(Int32Array.from(slate)) as typeof result;
        if (result.terminated || result.truncated) agent.endEpisode(result.reward, result.obs as AgentObservation, result.terminated);
        else slate = agent.step(result.reward, result.obs as AgentObservation);
      }
    }
    expect(seen.size).toBe(12); // 4·3 ordered slates
    expect(agent.weights.some((w) => w !== 0)).toBe(true);
    const copy = new FullSlateQAgent({ observationSpace: env.observationSpace, actionSpace: env.actionSpace });
    expect(copy.unbundle('', 0, agent.bundleAndCheckpoint('', 0) as never)).toBe(true);
    expect(Array.from(copy.weights)).toEqual(Array.from(agent.weights));
    expect(copy.trainingSteps).toBe(agent.trainingSteps);
    expect(copy.unbundle('', 0, { episode_num: 1, weights: [1] })).toBe(false);
  });

  it('continues from its bundle (replay memory and random stream included) exactly like the uninterrupted agent', () => {
    const env = makeEnv('RecSim/InterestExploration-v0', { numCandidates: 4, slateSize: 2, horizon: 20 });
    const make = () =>
      new FullSlateQAgent({
        observationSpace: env.observationSpace,
        actionSpace: env.actionSpace,
        minReplayHistory: 30,
        epsilonDecayPeriod: 100,
        batchSize: 8,
        targetUpdatePeriod: 40,
        replayCapacity: 50,
        randomSeed: 4,
      });
    const run = (agent: FullSlateQAgent, from: number, to: number) => {
      const slates: number[][] = [];
      for (let episode = from; episode < to; episode++) {
        let result = { obs: env.reset({ seed: episode }).obs, reward: 0, terminated: false, truncated: false };
        let slate = agent.beginEpisode(result.obs as AgentObservation);
        while (!result.terminated && !result.truncated) {
          slates.push(slate);
          result = env.step(Int32Array.from(slate)) as typeof result;
          if (result.terminated || result.truncated) agent.endEpisode(result.reward, result.obs as AgentObservation, result.terminated);
          else slate = agent.step(result.reward, result.obs as AgentObservation);
        }
      }
      return slates;
    };
    const straight = make();
    run(straight, 0, 6);
    const later = run(straight, 6, 12);
    const interrupted = make();
    run(interrupted, 0, 6);
    const restored = make();
    expect(restored.unbundle('', 6, JSON.parse(JSON.stringify(interrupted.bundleAndCheckpoint('', 6))))).toBe(true);
    expect(run(restored, 6, 12)).toEqual(later);
    expect(Array.from(restored.weights)).toEqual(Array.from(straight.weights));
    expect(Array.from(restored.targetWeights)).toEqual(Array.from(straight.targetWeights));
    expect(restored.weights.some((w) => w !== 0)).toBe(true);
    const withoutReplay = make();
    const { replay: _replay, ...older } = interrupted.bundleAndCheckpoint('', 6) as Record<string, unknown>;
    expect(withoutReplay.unbundle('', 6, older)).toBe(true);
    run(withoutReplay, 6, 12);
    expect(Array.from(withoutReplay.weights)).not.toEqual(Array.from(straight.weights));
    expect(make().unbundle('', 6, { ...older, replay: [{ rows: 'x' }] })).toBe(false);
  });

  it('refuses a non-RecSim observation space and bad periods', () => {
    expect(() => new FullSlateQAgent({ observationSpace: box(), actionSpace: spaces.actionSpace })).toThrow(ConfigError);
    expect(() => new FullSlateQAgent({ ...spaces, batchSize: 0 })).toThrow(/batchSize must be an integer ≥ 1, got 0/);
    expect(() => new FullSlateQAgent({ ...spaces, actionSpace: new MultiDiscrete([3, 3, 3, 3]) }).beginEpisode(A)).toThrow(
      /3 candidates cannot fill a slate of 4/,
    );
  });
});
