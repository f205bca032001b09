import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cartPolePPO } from '@loomrl/algorithms';
import type { TrainResult } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { serveExternalEnv } from './serveExternalEnv.js';

const clientScript = fileURLToPath(new URL('../../__fixtures__/externalCartPoleClient.mjs', import.meta.url));

describe('external env over HTTP', () => {
  it('trains PPO on CartPole-v1 driven by a client process to a training mean >= 400', async () => {
    let best: TrainResult | null = null;
    let reached!: () => void;
    const done = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const server = await serveExternalEnv({
      config: cartPolePPO({ seed: 1, numRolloutWorkers: 1, numEnvsPerWorker: 8 }),
      port: 0,
      onResult: (r) => {
        if (best === null || r.episodeRewardMean > best.episodeRewardMean) best = r;
        if (r.episodeRewardMean >= 400 || r.timestepsTotal >= 250_000) reached();
      },
    });
    const client = spawn(process.execPath, [clientScript, server.url, '8', '900'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    client.stdout.on('data', (d) => {
      output += String(d);
    });
    const exited = new Promise<void>((resolve) => client.once('exit', () => resolve()));
    try {
      await done;
    } finally {
      await server.close();
      await exited;
    }
    const result = best as TrainResult | null;
    console.log(
      `external CartPole: best training mean ${result?.episodeRewardMean} at ${result?.timestepsTotal} env steps; client ${output.trim()}`,
    );
    expect(
      result?.episodeRewardMean,
      `best ${result?.episodeRewardMean} at ${result?.timestepsTotal} steps; client: ${output}`,
    ).toBeGreaterThanOrEqual(400);
    expect(output).toMatch(/steps=\d+ episodes=\d+/);
  }, 1_200_000);
});
