import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import '../index.js';
import { pendulumSAC } from '../sac/tunedExamples.js';
import { CQLConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'loomrl-cql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Progress lines go to `$LOOMRL_LEARNING_LOG` when it is set (watching a long run). */
const log = (text: string): void => {
  if (process.env.LOOMRL_LEARNING_LOG) appendFileSync(process.env.LOOMRL_LEARNING_LOG, `${text}\n`);
};

/**
 * SAC's replay data, RLlib style: every transition a 12k-step SAC run sampled (`output` set while
 * it learns: about half the steps come after it passes −250). Returns its final greedy score.
 */
async function writeSacReplay(): Promise<{ steps: number; greedy: number }> {
  const sac = pendulumSAC({ seed: 42 }).offlineData({ output: dir, outputMaxFileSize: 200_000 }).build();
  let steps = 0;
  try {
    while (steps < 12_000) {
      const result = await sac.train();
      steps = result.timestepsTotal;
      log(`SAC ${steps} train ${result.episodeRewardMean.toFixed(0)}`);
    }
    return { steps, greedy: (await sac.evaluate()).episodeRewardMean };
  } finally {
    await sac.stop();
  }
}

describe('CQL on Pendulum-v1 SAC replay data (learning regression, pnpm test:learning)', () => {
  it('learns from the transitions a SAC run wrote to a greedy evaluation >= -400 (10 episodes)', async () => {
    const replay = await writeSacReplay();
    expect(readdirSync(dir).length).toBeGreaterThan(10);
    const net = { fcnetHiddens: [64, 64], fcnetActivation: 'relu' as const };
    const cql = new CQLConfig()
      .environment({ env: 'Pendulum-v1' })
      .offlineData({ input: dir, actionsInInputNormalized: true, shuffleBufferSize: 32 })
      .rollouts({ numRolloutWorkers: 0 })
      .training({
        trainBatchSize: 256,
        bcIters: 200,
        numActions: 4,
        twinQ: true,
        tau: 0.005,
        targetNetworkUpdateFreq: 1,
        qModelConfig: net,
        policyModelConfig: net,
        optimization: { actorLearningRate: 3e-4, criticLearningRate: 3e-4, entropyLearningRate: 3e-4 },
      })
      .reporting({ minTimeSPerIteration: null, minTrainTimestepsPerIteration: 100 * 256 })
      .evaluation({ evaluationDuration: 10, evaluationConfig: { input: 'sampler', explore: false } })
      .debugging({ seed: 1 })
      .build();
    const seen: number[] = [];
    try {
      for (let i = 0; i < 25 && Math.max(...seen, Number.NEGATIVE_INFINITY) < -400; i++) {
        await cql.train();
        seen.push((await cql.evaluate()).episodeRewardMean);
        log(`CQL ${(i + 1) * 100} updates greedy ${seen.at(-1)?.toFixed(0)}`);
      }
    } finally {
      await cql.stop();
    }
    console.log(
      `CQL Pendulum: SAC replay ${replay.steps} steps (SAC greedy ${replay.greedy.toFixed(0)}); CQL greedy per 100 updates ${seen.map((v) => v.toFixed(0)).join(', ')}`,
    );
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(-400);
  }, 3_600_000);
});
