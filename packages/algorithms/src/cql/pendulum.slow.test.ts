import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import '../index.js';
import { recordPolicy } from '../offline/recordPolicy.js';
import { pendulumSAC } from '../sac/tunedExamples.js';
import { CQLConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'loomrl-cql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Progress lines go to `$LOOMRL_LEARNING_LOG` when it is set (watching a long run). */
const log = (text: string): void => {
  if (process.env.LOOMRL_LEARNING_LOG) appendFileSync(process.env.LOOMRL_LEARNING_LOG, `${text}\n`);
};

/**
 * A competent SAC's data, RLlib style (its Pendulum CQL file averages about −143 per episode): SAC
 * trains online until its greedy evaluation reaches −200 (it does at about 8k steps), then its
 * stochastic policy (explore on, as a replay buffer's late part holds) writes 10k steps. Returns
 * SAC's steps, its greedy score and the written episodes' mean return.
 */
async function writeCompetentSacData(): Promise<{ steps: number; greedy: number; dataMean: number }> {
  const sac = pendulumSAC({ seed: 42 }).build();
  let steps = 0;
  let greedy = Number.NEGATIVE_INFINITY;
  try {
    while (steps < 20_000 && greedy < -200) {
      const result = await sac.train();
      steps = result.timestepsTotal;
      if (result.episodeRewardMean >= -300) greedy = (await sac.evaluate()).episodeRewardMean;
      log(`SAC ${steps} train ${result.episodeRewardMean.toFixed(0)} greedy ${greedy.toFixed(0)}`);
    }
    const { episodes } = await recordPolicy(sac, { output: dir, minEnvSteps: 10_000, explore: true, timestep: steps, seed: 7 });
    const dataMean = episodes.reduce((sum, e) => sum + e.episodeReturn, 0) / episodes.length;
    return { steps, greedy, dataMean };
  } finally {
    await sac.stop();
  }
}

describe('CQL on Pendulum-v1 SAC replay data (learning regression, pnpm test:learning)', () => {
  it("learns from a competent SAC policy's exploring rollouts (RLlib's recipe) to a greedy evaluation >= -400 (10 episodes)", async () => {
    const data = await writeCompetentSacData();
    expect(data.greedy).toBeGreaterThanOrEqual(-200);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    const net = { fcnetHiddens: [64, 64], fcnetActivation: 'relu' as const };
    // RLlib's tuned example clones 100 batches of 2000 rows (200k rows) before the CQL actor loss;
    // 800 batches of 256 rows clone about as many.
    const bcIters = 800;
    const cql = new CQLConfig()
      .environment({ env: 'Pendulum-v1' })
      .offlineData({ input: dir, actionsInInputNormalized: true, shuffleBufferSize: 32 })
      .rollouts({ numRolloutWorkers: 0 })
      .training({
        trainBatchSize: 256,
        bcIters,
        numActions: 4,
        twinQ: true,
        tau: 0.005,
        targetNetworkUpdateFreq: 1,
        qModelConfig: net,
        policyModelConfig: net,
        // RLlib's newer CQLConfig learning rates (2.10+: actor 1e-4, critic 1e-3, alpha 1e-3): the
        // critics fit Pendulum's returns and α decays about 3× sooner than with SAC's 3e-4 (at 3e-4
        // for all three this run stayed below −400 for 3,300 updates, best −424).
        optimization: { actorLearningRate: 1e-4, criticLearningRate: 1e-3, entropyLearningRate: 1e-3 },
      })
      .reporting({ minTimeSPerIteration: null, minTrainTimestepsPerIteration: 100 * 256 })
      .evaluation({ evaluationDuration: 10, evaluationConfig: { input: 'sampler', explore: false } })
      .debugging({ seed: 1 })
      .build();
    /** Greedy scores after each iteration (about 100 updates); only those after the behaviour-cloning phase count. */
    const seen: { updates: number; greedy: number }[] = [];
    const afterCloning = () => seen.filter((e) => e.updates > bcIters).map((e) => e.greedy);
    const started = performance.now();
    try {
      // At most 8,000 updates. This seed passed −400 after 3,774 (−226; 189 s on the kernels at load 7); CQL seeds 2 and 3 on
      // the same kind of data after about 4,200 and 2,750, each then settling between −120 and −300.
      for (let i = 0; i < 80 && Math.max(...afterCloning(), Number.NEGATIVE_INFINITY) < -400; i++) {
        const result = await cql.train();
        seen.push({ updates: result.numEnvStepsTrained / 256, greedy: (await cql.evaluate()).episodeRewardMean });
        log(`CQL ${seen.at(-1)?.updates} updates greedy ${seen.at(-1)?.greedy.toFixed(0)}`);
      }
    } finally {
      await cql.stop();
    }
    console.log(
      `CQL Pendulum: data from SAC after ${data.steps} steps (greedy ${data.greedy.toFixed(0)}), 10k explore steps averaging ${data.dataMean.toFixed(0)}; CQL greedy after ${seen.map((e) => `${e.updates}: ${e.greedy.toFixed(0)}`).join(', ')} updates (cloning for the first ${bcIters}); ${((performance.now() - started) / 1000).toFixed(0)} s of CQL`,
    );
    expect(Math.max(...afterCloning())).toBeGreaterThanOrEqual(-400);
  }, 3_600_000);
});
