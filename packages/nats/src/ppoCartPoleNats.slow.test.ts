import { cartPolePPO, type PPOConfig } from '@loomrl/algorithms';
import type { Algorithm, TrainResult } from '@loomrl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overNats } from './__fixtures__/configs.js';
import { NatsServer } from './__fixtures__/natsServer.js';
import { HostNamespace, netnsAvailable } from './__fixtures__/netns.js';
import { SupervisedWorker, startWorkers, WorkerProcess, workerArgs } from './__fixtures__/workerProcesses.js';

// The bar of the thread test (workers/src/ppoCartPoleRemote.test.ts): the tuned CartPole example on 2 workers × 8 envs.
const cartPole = (): PPOConfig => cartPolePPO({ seed: 1, numRolloutWorkers: 2, numEnvsPerWorker: 8 });

interface Solve {
  readonly rewards: number[];
  readonly evaluation: number;
  readonly steps: number;
  readonly results: TrainResult[];
}

/** Trains until the greedy evaluation reaches 475 or 150k env steps; `during(i)` runs while iteration i trains. */
async function solve(algo: Algorithm, during: (iteration: number) => Promise<void> = async () => undefined): Promise<Solve> {
  const rewards: number[] = [];
  const results: TrainResult[] = [];
  let evaluation = 0;
  let steps = 0;
  try {
    for (let i = 1; steps < 150_000 && evaluation < 475; i++) {
      const training = algo.train();
      await during(i);
      const result = await training;
      results.push(result);
      rewards.push(result.episodeRewardMean);
      steps = result.timestepsTotal;
      if (result.episodeRewardMean >= 450) evaluation = (await algo.evaluate()).episodeRewardMean;
    }
    return { rewards, evaluation, steps, results };
  } finally {
    await algo.stop();
  }
}

const faultTolerant = (config: PPOConfig) =>
  config.faultTolerance({ recreateFailedWorkers: true, delayBetweenWorkerRestartsS: 0, workerHealthProbeTimeoutS: 3 });

describe('PPO on CartPole-v1 with NATS worker processes', () => {
  let server: NatsServer;
  let threads: Solve;
  beforeAll(async () => {
    server = await NatsServer.start({ listen: '0.0.0.0' });
    threads = await solve(cartPole().build());
  }, 600_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('2 NATS worker processes reach a greedy 475 within 150k steps, with the same result as 2 worker threads', async () => {
    const workers = startWorkers(2, server.url, 'cartpole-2');
    try {
      const nats = await solve(overNats(cartPole(), server.url, 'cartpole-2').build());
      expect(nats.evaluation).toBeGreaterThanOrEqual(475);
      expect(nats.steps).toBeLessThanOrEqual(150_000);
      expect(nats.rewards).toEqual(threads.rewards);
      expect(nats.evaluation).toBe(threads.evaluation);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }, 600_000);

  it('1 worker thread + 1 NATS worker process: the same result as 2 worker threads', async () => {
    const workers = startWorkers(1, server.url, 'cartpole-mixed');
    try {
      const mixed = await solve(overNats(cartPole(), server.url, 'cartpole-mixed', { numNatsWorkers: 1 }).build());
      expect(mixed.evaluation).toBeGreaterThanOrEqual(475);
      expect(mixed.rewards).toEqual(threads.rewards);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }, 600_000);

  it('kill -9 of a NATS worker mid-iteration 5 times: every iteration completes and the run still solves CartPole', async () => {
    const supervised = [1, 2].map((i) => new SupervisedWorker(() => new WorkerProcess(workerArgs(server.url, 'cartpole-kills', `w${i}`))));
    const killAt = new Set([3, 8, 13, 18, 23]);
    try {
      const run = await solve(faultTolerant(overNats(cartPole(), server.url, 'cartpole-kills')).build(), async (i) => {
        if (!killAt.has(i)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
        await (supervised[i % 2] as SupervisedWorker).kill();
      });
      expect(run.evaluation).toBeGreaterThanOrEqual(475);
      expect(run.results.at(-1)?.numRemoteWorkerRestarts).toBe(5);
      let total = 0;
      for (const result of run.results) {
        expect(result.numEnvStepsSampledThisIter).toBeGreaterThanOrEqual(1024);
        expect(result.numEnvStepsSampledThisIter % 512).toBe(0); // whole 64-step × 8-env batches
        total += result.numEnvStepsSampledThisIter;
      }
      expect(run.results.at(-1)?.timestepsTotal).toBe(total);
    } finally {
      await Promise.all(supervised.map((s) => s.stop()));
    }
  }, 900_000);

  it.skipIf(!netnsAvailable())(
    'a NATS worker on another host cut off beyond the probe timeout and restored: the run still solves CartPole',
    async () => {
      const hosts = [HostNamespace.create(11), HostNamespace.create(12)];
      const workers = hosts.map(
        (host, i) =>
          new WorkerProcess(workerArgs(`nats://${host.hostIp}:${server.port}`, 'cartpole-cut', `ns${i + 1}`), { netns: host.name }),
      );
      try {
        const run = await solve(faultTolerant(overNats(cartPole(), server.url, 'cartpole-cut')).build(), async (i) => {
          if (i === 5) (hosts[1] as HostNamespace).cut();
          if (i === 12) (hosts[1] as HostNamespace).restore();
        });
        expect(run.evaluation).toBeGreaterThanOrEqual(475);
        expect(run.results.some((r) => r.numHealthyWorkers === 1)).toBe(true);
        expect(run.results.at(-1)?.numHealthyWorkers).toBe(2);
        expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
        for (const host of hosts) host.remove();
      }
    },
    900_000,
  );
});
