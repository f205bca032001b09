import { pendulumSAC, SACConfig } from '@loomrl/algorithms';
import { describe, expect, it } from 'vitest';

/** The learner stats every SAC iteration reports (RLlib's SAC stats, camelCased). */
const STAT_KEYS = ['actorLoss', 'criticLoss', 'alphaLoss', 'alphaValue', 'logAlphaValue', 'targetEntropy', 'meanQ', 'maxQ', 'minQ'];

function expectFiniteStats(stats: Readonly<Record<string, number>>): void {
  for (const key of STAT_KEYS) expect(Number.isFinite(stats[key]), `learnerStats.${key} = ${stats[key]}`).toBe(true);
}

/** Two short iterations of `config` (small nets, learning after 32 steps, one 32-row update per env step). */
async function twoIterations(config: SACConfig) {
  const algo = config
    .training({
      trainBatchSize: 32,
      numStepsSampledBeforeLearningStarts: 32,
      qModelConfig: { fcnetHiddens: [16], fcnetActivation: 'relu' },
      policyModelConfig: { fcnetHiddens: [16], fcnetActivation: 'relu' },
      optimization: { actorLearningRate: 3e-3, criticLearningRate: 3e-3, entropyLearningRate: 3e-3 },
      replayBufferConfig: { capacity: 1000 },
    })
    .reporting({ minSampleTimestepsPerIteration: 100, minTimeSPerIteration: null })
    .build();
  try {
    await algo.ready();
    const before = algo.getWeights();
    const first = await algo.train();
    const second = await algo.train();
    return { first, second, before, after: algo.getWeights() };
  } finally {
    await algo.stop();
  }
}

describe('SAC training iterations (default suite; learning to a score is in pendulum.slow.test.ts)', () => {
  it("trains on Pendulum: finite stats, the actor's weights change, α falls and Q heads for the negative returns", async () => {
    const { first, second, before, after } = await twoIterations(pendulumSAC({ seed: 3 }));
    expectFiniteStats(second.learnerStats);
    // Learning starts after 32 of the first 100 steps, then one update per step.
    expect(first.numEnvStepsTrainedThisIter).toBe((100 - 32) * 32);
    expect(second.numEnvStepsTrainedThisIter).toBe(100 * 32);
    expect(second.learnerStats.replayBufferSize).toBe(200);
    expect(after.some((w, i) => w !== before[i])).toBe(true);
    // The initial policy's entropy is above the target −1, so α's loss lowers it from 1.
    expect(second.learnerStats.alphaValue).toBeLessThan(first.learnerStats.alphaValue as number);
    expect(first.learnerStats.alphaValue).toBeLessThan(1);
    // Every Pendulum reward is negative (down to −16.3): the critics' estimates fall towards the targets.
    expect(second.learnerStats.meanQ).toBeLessThan(first.learnerStats.meanQ as number);
    expect(second.learnerStats.meanQ).toBeLessThan(-5);
  });

  it('trains discrete SAC on CartPole: Q rises towards the +1-per-step returns', async () => {
    const config = new SACConfig()
      .environment({ env: 'CartPole-v1' })
      .rollouts({ numRolloutWorkers: 0, rolloutFragmentLength: 1 })
      .debugging({ seed: 3 });
    const { first, second, before, after } = await twoIterations(config);
    expectFiniteStats(second.learnerStats);
    expect(second.learnerStats.targetEntropy).toBeCloseTo(0.98 * Math.log(2), 6);
    expect(after.some((w, i) => w !== before[i])).toBe(true);
    expect(second.learnerStats.meanQ).toBeGreaterThan(first.learnerStats.meanQ as number);
    expect(second.learnerStats.meanQ).toBeGreaterThan(1);
  });
});
