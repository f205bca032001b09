import type { TrainResult } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { PPOConfig } from './config.js';

const STOCK_ENVS = ['RecSim/LongTermSatisfaction-v0', 'RecSim/InterestEvolution-v0', 'RecSim/InterestExploration-v0'] as const;

/** A tiny PPO on a stock RecSim env: flattened observations, Discrete(C^S) or MultiDiscrete slate actions. */
function tinyRecSimPPO(env: string, discrete: boolean, numRolloutWorkers: number): PPOConfig {
  return new PPOConfig()
    .environment({
      env,
      envConfig: { numCandidates: 5, slateSize: 2, flattenObservations: true, convertToDiscreteActionSpace: discrete },
    })
    .rollouts({ numRolloutWorkers, numEnvsPerWorker: 2 })
    .training({ trainBatchSize: 200, sgdMinibatchSize: 100, numSgdIter: 2, lr: 1e-3, model: { fcnetHiddens: [16] } })
    .debugging({ seed: 3 });
}

async function trainTwice(config: PPOConfig): Promise<TrainResult[]> {
  const algo = config.build();
  try {
    return [await algo.train(), await algo.train()];
  } finally {
    await algo.stop();
  }
}

function expectFiniteLearnerStats(result: TrainResult): void {
  const stats = Object.entries(result.learnerStats);
  expect(stats.length).toBeGreaterThan(0);
  for (const [key, value] of stats) expect(Number.isFinite(value), `learnerStats.${key} = ${value}`).toBe(true);
  expect(result.timestepsTotal).toBeGreaterThanOrEqual(200);
}

describe('PPO on the stock RecSim envs', () => {
  for (const env of STOCK_ENVS) {
    for (const discrete of [true, false]) {
      it(`trains on ${env} with ${discrete ? 'Discrete(C^S)' : 'MultiDiscrete slate'} actions on the local worker, with finite learner stats`, async () => {
        const results = await trainTwice(tinyRecSimPPO(env, discrete, 0));
        for (const r of results) expectFiniteLearnerStats(r);
      });
    }
  }

  it('trains on Long Term Satisfaction (Discrete) and Interest Evolution (slates) on 2 worker threads', async () => {
    for (const [env, discrete] of [
      [STOCK_ENVS[0], true],
      [STOCK_ENVS[1], false],
    ] as const) {
      const results = await trainTwice(tinyRecSimPPO(env, discrete, 2));
      for (const r of results) {
        expectFiniteLearnerStats(r);
        expect(r.numHealthyWorkers).toBe(2);
      }
    }
  });
});
