/**
 * Issue 12 benchmark: `loomrl serve` answering 1000 POST /v1/actions requests from 50 concurrent
 * clients on loopback. The server is the real CLI in its own process (a PPO CartPole checkpoint,
 * default batching: up to 32 observations, 2 ms wait); the clients are `PolicyClient`s in this
 * process. Reports p50/p99 latency, requests/s, how many answers differ from the checkpoint's
 * greedy actions (must be 0), the mean batch size from the server's /metrics, and the same load
 * against a bare fastify route in another process (the HTTP floor on this machine, same run).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cartPolePPO } from '@loomrl/algorithms';
import { createRng } from '@loomrl/core';
import { PolicyClient } from '@loomrl/tune/client';

const REQUESTS = 1000;
const CLIENTS = 50;
const cli = fileURLToPath(new URL('../packages/tune/dist/cli/main.js', import.meta.url));

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

const fastifyPath = createRequire(fileURLToPath(new URL('../packages/tune/package.json', import.meta.url))).resolve('fastify');
const HELLO_SERVER = `
const Fastify = require(${JSON.stringify(fastifyPath)});
const app = Fastify();
app.post('/v1/actions', async () => ({ action: 0, policy_version: 1 }));
app.listen({ host: '127.0.0.1', port: 0 }).then(() => process.stdout.write('at http://127.0.0.1:' + app.server.address().port + '\\n'));
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));`;

async function startServer(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const match = /at (http:\/\/\S+)/.exec(out);
      if (match !== null) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`loomrl serve exited with ${code}: ${out}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export default async function run(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'loomrl-serve-bench-'));
  const algo = cartPolePPO({ seed: 1 }).build();
  for (let i = 0; i < 5; i++) await algo.train();
  const checkpoint = await algo.save(join(dir, 'checkpoint'));
  const rng = createRng(1, 'bench-obs');
  const observations = Array.from({ length: REQUESTS }, () => [
    rng.uniform(-2, 2),
    rng.uniform(-2, 2),
    rng.uniform(-0.2, 0.2),
    rng.uniform(-2, 2),
  ]);
  const expected = observations.map((o) => algo.computeSingleAction(o, { explore: false }));
  await algo.stop();
  const server = await startServer([cli, 'serve', checkpoint, '--port', '0']);
  const hello = await startServer(['-e', HELLO_SERVER]);
  try {
    // A first pass warms up the client code; then the two servers alternate.
    await load(hello.url, observations, null);
    const served = await load(server.url, observations, expected);
    const floor = await load(hello.url, observations, null);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const sum = Number(/loomrl_inference_batch_size_sum (\S+)/.exec(metrics)?.[1]);
    const count = Number(/loomrl_inference_batch_size_count (\S+)/.exec(metrics)?.[1]);
    return {
      requests: REQUESTS,
      concurrentClients: CLIENTS,
      ...served,
      meanBatchSize: sum / count,
      bareFastify: floor,
      requestsPerSRatioToBareFastify: served.requestsPerS / floor.requestsPerS,
      loadAverage1m: loadavg()[0],
    };
  } finally {
    await Promise.all([server.stop(), hello.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

/** 1000 requests from 50 clients; counts answers that differ from `expected` when given. */
async function load(url: string, observations: number[][], expected: unknown[] | null) {
  {
    const clients = Array.from({ length: CLIENTS }, () => new PolicyClient<number[], number>(url));
    // Warm up connections and the server's code paths.
    await Promise.all(clients.map((c) => c.computeAction(observations[0] as number[])));
    const latencies: number[] = [];
    let mismatches = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        for (let i = next++; i < REQUESTS; i = next++) {
          const t0 = performance.now();
          const { action } = await client.computeAction(observations[i] as number[]);
          latencies.push(performance.now() - t0);
          if (expected !== null && action !== expected[i]) mismatches += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      p50LatencyMs: percentile(latencies, 0.5),
      p99LatencyMs: percentile(latencies, 0.99),
      requestsPerS: REQUESTS / seconds,
      ...(expected === null ? {} : { actionsDifferingFromGreedy: mismatches }),
    };
  }
}
