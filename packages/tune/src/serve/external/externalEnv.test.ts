import { PPOConfig } from '@loomrl/algorithms';
import type { TrainResult } from '@loomrl/core';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyClient, PolicyServerError } from '../client.js';
import { type ExternalEnvServer, serveExternalEnv } from './serveExternalEnv.js';

let server: ExternalEnvServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** One env slot, a 2-step train batch: one iteration per two actions. */
function tinyExternalPPO(): PPOConfig {
  return new PPOConfig()
    .environment({ env: 'CartPole-v1' })
    .rollouts({ numRolloutWorkers: 1, numEnvsPerWorker: 1 })
    .training({ trainBatchSize: 2, sgdMinibatchSize: 2, numSgdIter: 1, model: { fcnetHiddens: [8] } })
    .debugging({ seed: 1 });
}

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return error instanceof PolicyServerError ? `${error.status} ${error.code}` : String(error);
}

describe('serveExternalEnv', () => {
  it("trains on a client's episode: rewards logged between actions add up onto the previous action", async () => {
    const results: TrainResult[] = [];
    server = await serveExternalEnv({ config: tinyExternalPPO(), port: 0, onResult: (r) => results.push(r) });
    const client = new PolicyClient<number[], number>(server.url);
    const id = await client.startEpisode({ episodeId: 'user-1' });
    expect(id).toBe('user-1');
    const a0 = await client.getAction(id, [0, 0, 0, 0]);
    expect([0, 1]).toContain(a0);
    await client.logReturns(id, 1);
    await client.logReturns(id, 0.5);
    await client.getAction(id, [0.01, 0, 0, 0]);
    await client.endEpisode(id, [0.02, 0, 0, 0]);
    // The slot's env resets when the episode ends: the sampler goes on once the next episode starts.
    const two = await client.startEpisode({ episodeId: 'user-2' });
    expect([0, 1]).toContain(await client.getAction(two, [0, 0, 0, 0]));
    expect(results[0]?.episodesThisIter).toBe(1);
    expect(results[0]?.episodeRewardMean).toBe(1.5);
    expect(results[0]?.episodeLenMean).toBe(2);
    expect(server.latestResult?.trainingIteration).toBe(1);

    expect(await code(client.startEpisode({ episodeId: 'user-1' }))).toBe('409 EPISODE_ALREADY_ENDED');
    expect(await code(client.getAction('user-1', [0, 0, 0, 0]))).toBe('409 EPISODE_ALREADY_ENDED');
    expect(await code(client.getAction('nobody', [0, 0, 0, 0]))).toBe('404 EPISODE_NOT_FOUND');
    expect(await code(client.startEpisode({ episodeId: 'user-2' }))).toBe('409 EPISODE_ALREADY_STARTED');
    expect(await code(client.getAction(two, [0, 0, 0]))).toBe('422 INVALID_OBSERVATION');
    expect(await code(client.logReturns(two, Number.NaN))).toMatch(/^400|^422/);
    expect(await code(client.logAction(two, [0, 0, 0, 0], 1))).toBe('501 NOT_SUPPORTED');
    // An episode with training disabled is answered by the current policy and never waits for a slot.
    const served = await client.startEpisode({ trainingEnabled: false });
    expect([0, 1]).toContain(await client.getAction(served, [0, 0, 0, 0]));
    await client.endEpisode(served, [0, 0, 0, 0]);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/loomrl_episodes_total\{outcome="terminated"\} 2/);
    expect(metrics).toMatch(/loomrl_train_iterations_total 1/);
    expect((await client.computeAction([0, 0, 0, 0])).policyVersion).toBe(results[0]?.weightsVersion);
  });
});
