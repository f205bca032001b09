import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MARWILConfig } from '@loomrl/algorithms';
import { Box, Discrete } from '@loomrl/core';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'loomrl-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** MARWIL (β = 1: returns from V, so terminateds, truncateds, new_obs and eps_id all matter) on 2 workers of 2 envs × 30 steps. */
const marwil = () =>
  new MARWILConfig()
    .rollouts({ numRolloutWorkers: 2, numEnvsPerWorker: 2, rolloutFragmentLength: 30 })
    .training({ trainBatchSize: 120, lr: 1e-3, model: { fcnetHiddens: [16] } })
    .debugging({ seed: 11 });

async function trainedWeights(config: MARWILConfig, iterations: number): Promise<Float32Array> {
  const algo = config.build();
  try {
    await algo.ready();
    for (let i = 0; i < iterations; i++) await algo.train();
    return algo.getWeights();
  } finally {
    await algo.stop();
  }
}

describe('offline round trip', () => {
  it('trains from the files 2 remote workers wrote exactly as from their in-memory batches (same seed, same weights)', async () => {
    // Online: each remote worker's sample() (60 rows) is one training share and one line of its file.
    const online = await trainedWeights(marwil().environment({ env: 'CartPole-v1' }).offlineData({ output: dir }), 6);
    expect(readdirSync(dir).length).toBe(2);
    // Offline, with no env: reader i starts on worker i's file and reads one 60-row line per share.
    const offline = await trainedWeights(
      marwil()
        .environment({ observationSpace: new Box({ low: -5, high: 5, shape: [4] }), actionSpace: new Discrete(2) })
        .offlineData({ input: dir, postprocessInputs: true }),
      6,
    );
    const initial = await trainedWeights(marwil().environment({ env: 'CartPole-v1' }), 0);
    expect(Array.from(online)).not.toEqual(Array.from(initial));
    expect(offline.length).toBe(online.length);
    expect(Array.from(offline)).toEqual(Array.from(online));
  });
});
