import type { Algorithm, TrainResult } from '@loomrl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overNats, smallPPO } from './__fixtures__/configs.js';
import { NatsServer } from './__fixtures__/natsServer.js';
import { HostNamespace, netnsAvailable } from './__fixtures__/netns.js';
import { SupervisedWorker, startWorkers, WorkerProcess, workerArgs } from './__fixtures__/workerProcesses.js';

const BATCH_ROWS = 128; // 32 steps × 4 envs per worker per sample call

/** Fault-tolerant NATS PPO: recreate at once, a 2 s probe timeout, heartbeats every 0.25 s. */
function faultTolerant(url: string, name: string): Algorithm {
  return overNats(smallPPO(), url, name, { heartbeatIntervalS: 0.25 })
    .faultTolerance({ recreateFailedWorkers: true, delayBetweenWorkerRestartsS: 0, workerHealthProbeTimeoutS: 2 })
    .build();
}

/** Every sample call's batch arrived whole, once: an iteration's rows are whole batches and at least trainBatchSize. */
function expectWholeBatches(results: readonly TrainResult[]): void {
  let total = 0;
  for (const result of results) {
    expect(result.numEnvStepsSampledThisIter).toBeGreaterThanOrEqual(256);
    expect(result.numEnvStepsSampledThisIter % BATCH_ROWS).toBe(0);
    total += result.numEnvStepsSampledThisIter;
    expect(result.timestepsTotal).toBe(total);
  }
}

/**
 * Trains until the pool reports `workers` healthy again (a replacement joined) after counting at
 * least `restarts` restarts, for at most `limitS` seconds.
 */
async function trainUntilHealthy(algo: Algorithm, workers: number, results: TrainResult[], restarts = 0, limitS = 30): Promise<void> {
  const deadline = Date.now() + limitS * 1000;
  while (Date.now() < deadline) {
    const result = await algo.train();
    results.push(result);
    if (result.numHealthyWorkers === workers && result.numRemoteWorkerRestarts >= restarts) return;
  }
  throw new Error(`the pool did not get back to ${workers} healthy workers after ${restarts} restarts within ${limitS} s`);
}

describe('faults of NATS worker processes', () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await NatsServer.start({ listen: '0.0.0.0' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('kill -9 of a worker mid-iteration, 5 times: every iteration completes with whole batches, restarts are counted', async () => {
    const supervised = [1, 2].map((i) => new SupervisedWorker(() => new WorkerProcess(workerArgs(server.url, 'kills', `worker-${i}`))));
    const algo = faultTolerant(server.url, 'kills');
    const results: TrainResult[] = [];
    try {
      results.push(await algo.train());
      for (let kill = 0; kill < 5; kill++) {
        const training = algo.train();
        await new Promise((resolve) => setTimeout(resolve, 30));
        await (supervised[kill % 2] as SupervisedWorker).kill();
        results.push(await training); // the iteration the kill landed in completes
        // The death is seen in that iteration or, when the kill landed after its sampling, in the next call.
        await trainUntilHealthy(algo, 2, results, kill + 1);
        expect(results.at(-1)?.numRemoteWorkerRestarts).toBe(kill + 1);
      }
      expectWholeBatches(results);
      const last = results.at(-1) as TrainResult;
      expect(last.numHealthyWorkers).toBe(2);
      expect(last.numRemoteWorkerRestarts).toBe(5);
      expect(supervised.reduce((n, s) => n + s.starts, 0)).toBe(7);
    } finally {
      await algo.stop();
      await Promise.all(supervised.map((s) => s.stop()));
    }
  }, 120_000);

  it('the NATS server killed and restarted mid-run (file storage): training resumes when it is back', async () => {
    const workers = startWorkers(2, server.url, 'server-restart');
    const algo = faultTolerant(server.url, 'server-restart');
    const results: TrainResult[] = [];
    try {
      results.push(await algo.train());
      const training = algo.train();
      await new Promise((resolve) => setTimeout(resolve, 30));
      await server.kill();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await server.restart();
      results.push(await training);
      await trainUntilHealthy(algo, 2, results);
      results.push(await algo.train());
      expectWholeBatches(results);
      expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
    } finally {
      await algo.stop();
      await Promise.all(workers.map((w) => w.stop()));
    }
  }, 120_000);

  it.skipIf(!netnsAvailable())(
    'a worker on another host (network namespace) cut off beyond the probe timeout is replaced, then rejoins when the link is back',
    async () => {
      const hosts = [HostNamespace.create(1), HostNamespace.create(2)];
      const workers = hosts.map(
        (host, i) =>
          new WorkerProcess(workerArgs(`nats://${host.hostIp}:${server.port}`, 'partition', `ns-host-${i + 1}`), { netns: host.name }),
      );
      const algo = faultTolerant(server.url, 'partition');
      const results: TrainResult[] = [];
      try {
        const first = await algo.train();
        results.push(first);
        expect(first.numHealthyWorkers).toBe(2);
        const training = algo.train();
        await new Promise((resolve) => setTimeout(resolve, 30));
        (hosts[1] as HostNamespace).cut();
        results.push(await training);
        // Beyond the probe timeout: the learner has given the worker up.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const during = await algo.train();
        results.push(during);
        expect(during.numHealthyWorkers).toBe(1);
        expect(during.numRemoteWorkerRestarts).toBe(1);
        (hosts[1] as HostNamespace).restore();
        await trainUntilHealthy(algo, 2, results);
        expectWholeBatches(results);
        // The same process came back: it was never restarted.
        expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
      } finally {
        await algo.stop();
        await Promise.all(workers.map((w) => w.stop()));
        for (const host of hosts) host.remove();
      }
    },
    120_000,
  );
});
