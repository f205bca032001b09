import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Algorithm, createRng } from '@loomrl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPPO } from '../__fixtures__/tinyPPO.js';
import { loadPolicy } from '../policy/loadedPolicy.js';
import { PolicyClient, PolicyServerError } from './client.js';
import { servePolicy } from './servePolicy.js';
import type { PolicyServer } from './server.js';

let dir: string;
let checkpoint: string;
let reference: Algorithm;
let server: PolicyServer;

function observations(n: number, seed = 1): number[][] {
  const rng = createRng(seed, 'obs');
  return Array.from({ length: n }, () => [rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-0.2, 0.2), rng.uniform(-2, 2)]);
}

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as { error?: { code: string; message: string } } & Record<string, unknown>,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loomrl-serve-'));
  const algo = tinyPPO().build();
  for (let i = 0; i < 3; i++) await algo.train();
  checkpoint = await algo.save(join(dir, 'checkpoint'));
  await algo.stop();
  reference = (await loadPolicy(checkpoint)).algorithm;
  server = await servePolicy(checkpoint, { port: 0, bodyLimitBytes: 16_384 });
});
afterAll(async () => {
  await server?.close();
  await reference?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('servePolicy', () => {
  it("answers one observation or a batch with the checkpoint's greedy actions", async () => {
    const client = new PolicyClient<number[], number>(server.url);
    const obs = observations(100);
    const expected = obs.map((o) => reference.computeSingleAction(o, { explore: false }));
    const one = await client.computeAction(obs[0] as number[]);
    expect(one.action).toBe(expected[0]);
    expect(one.policyVersion).toBe(1);
    expect((await client.computeActions(obs)).actions).toEqual(expected);
    expect(await Promise.all(obs.map(async (o) => (await client.computeAction(o)).action))).toEqual(expected);
    const compat = await post('/compute_action', JSON.stringify({ observation: obs[1] }));
    expect(compat.body).toEqual({ action: expected[1] });
    expect(await client.health()).toEqual({ status: 'ok' });
    expect((await client.spec()).observation_space).toMatchObject({ type: 'Box', shape: [4] });
  });

  it('batches concurrent requests: 64 at once with maxBatchSize 32 are two forward passes', async () => {
    const batching = await servePolicy(await loadPolicy(checkpoint), { port: 0, maxBatchSize: 32, batchWaitMs: 5000 });
    try {
      const client = new PolicyClient<number[], number>(batching.url);
      const obs = observations(64, 2);
      const actions = await Promise.all(obs.map(async (o) => (await client.computeAction(o)).action));
      expect(batching.batcher.flushes).toBe(2);
      expect(actions).toEqual(obs.map((o) => reference.computeSingleAction(o, { explore: false })));
    } finally {
      await batching.close();
    }
  });

  it('answers bad input with 400, 422 naming the expected shape, and 413, and keeps serving', async () => {
    const badJson = await post('/v1/actions', '{"observation": [1, 2');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error?.code).toBe('BAD_JSON');
    const shape = await post('/v1/actions', JSON.stringify({ observation: [1, 2, 3] }));
    expect(shape.status).toBe(422);
    expect(shape.body.error?.code).toBe('INVALID_OBSERVATION');
    expect(shape.body.error?.message).toMatch(/must have shape \[4\].*got shape \[3\]/);
    const nan = await post('/v1/actions', '{"observations": [[0, 0, 0, 0], [0, 0, "x", 0]]}');
    expect(nan.status).toBe(422);
    expect(nan.body.error?.message).toMatch(/observations\[1\].*entry 2 must be a finite number/);
    const both = await post('/v1/actions', '{"explore": "yes", "observation": [0, 0, 0, 0]}');
    expect(both.status).toBe(400);
    const big = await post('/v1/actions', JSON.stringify({ observations: observations(400) }));
    expect(big.status).toBe(413);
    expect(big.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    await expect(new PolicyClient(server.url).computeAction([0, 0, 0])).rejects.toBeInstanceOf(PolicyServerError);
    const ok = await post('/v1/actions', JSON.stringify({ observation: [0, 0, 0, 0] }));
    expect(ok.status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/loomrl_http_requests_total\{route="\/v1\/actions",method="POST",status="422"\} 3/);
    expect(metrics).toMatch(/loomrl_inference_batch_size_count \d+/);
  });

  it('requires the bearer token when one is set (not for /healthz) and refuses a non-loopback bind without one', async () => {
    const guarded = await servePolicy(await loadPolicy(checkpoint), { port: 0, token: 's3cret' });
    try {
      const body = JSON.stringify({ observation: [0, 0, 0, 0] });
      const headers = { 'content-type': 'application/json' };
      expect((await fetch(`${guarded.url}/v1/actions`, { method: 'POST', headers, body })).status).toBe(401);
      const wrong = await fetch(`${guarded.url}/v1/actions`, {
        method: 'POST',
        headers: { ...headers, authorization: 'Bearer nope' },
        body,
      });
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
      expect((await fetch(`${guarded.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      expect(await new PolicyClient(guarded.url, { token: 's3cret' }).computeAction([0, 0, 0, 0])).toMatchObject({ policyVersion: 1 });
    } finally {
      await guarded.close();
    }
    await expect(servePolicy(await loadPolicy(checkpoint), { host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /Refusing to serve on 0\.0\.0\.0 without a bearer token/,
    );
  });
});
