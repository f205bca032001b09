import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Algorithm } from '@loomrl/core';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overNats, record, smallPPO } from './__fixtures__/configs.js';
import { NatsServer } from './__fixtures__/natsServer.js';
import { startWorkers, type WorkerProcess } from './__fixtures__/workerProcesses.js';

async function stopAll(workers: readonly WorkerProcess[]): Promise<void> {
  await Promise.all(workers.map((w) => w.stop()));
}

describe('rollout workers as loomrl-worker processes over NATS JetStream', () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await NatsServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('2 NATS worker processes train bit for bit like 2 worker threads (same seed, same envs)', async () => {
    const threads = await record(smallPPO().build(), 3);
    const workers = startWorkers(2, server.url, 'like-threads');
    try {
      const nats = await record(overNats(smallPPO(), server.url, 'like-threads').build(), 3);
      expect(nats.steps).toEqual([256, 256, 256]);
      expect(nats.rewards).toEqual(threads.rewards);
      expect(nats.weights).toEqual(threads.weights);
    } finally {
      await stopAll(workers);
    }
  });

  it('1 worker thread + 1 NATS worker process train bit for bit like 2 worker threads', async () => {
    const threads = await record(smallPPO().build(), 2);
    const workers = startWorkers(1, server.url, 'mixed');
    try {
      const mixed = await record(overNats(smallPPO(), server.url, 'mixed', { numNatsWorkers: 1 }).build(), 2);
      expect(mixed.rewards).toEqual(threads.rewards);
      expect(mixed.weights).toEqual(threads.weights);
    } finally {
      await stopAll(workers);
    }
  });

  it('a learner restored from a checkpoint resumes with the same worker processes and continues bit for bit', async () => {
    const straight = await record(smallPPO().build(), 3);
    const workers = startWorkers(2, server.url, 'restart');
    const dir = mkdtempSync(join(tmpdir(), 'loomrl-nats-ckpt-'));
    try {
      const first = overNats(smallPPO(), server.url, 'restart').build();
      await first.train();
      await first.save(dir);
      await first.stop();
      // A new learner (as after a crash): the same two processes join it again.
      const restored = await Algorithm.fromCheckpoint(dir);
      const resumed = await record(restored, 2);
      expect(resumed.weights).toEqual(straight.weights);
      expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
    } finally {
      await stopAll(workers);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('above the server max_payload (64 KiB)', () => {
  let server: NatsServer;
  let configDir: string;
  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'loomrl-nats-conf-'));
    const conf = join(configDir, 'small.conf');
    writeFileSync(conf, 'max_payload: 65536\n');
    server = await NatsServer.start({ args: ['-c', conf] });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('cuts sample batches into chunks and moves module state through the Object Store, training like threads', async () => {
    // 256×256 hidden layers: ~0.5 MB of weights; 1024-row batches per worker of ~70 bytes a row: ~70 KiB.
    const big = () => smallPPO().training({ trainBatchSize: 2048, model: { fcnetHiddens: [256, 256] } });
    const threads = await record(big().build(), 1);
    const workers = startWorkers(2, server.url, 'big');
    // Watch the sample subjects as any subscriber may: each chunk says how many make its batch.
    const observer = await connect({ servers: server.url });
    const chunkCounts: number[] = [];
    const sniff = observer.subscribe('loomrl.big.samples.>', {
      callback: (_e, msg) => {
        chunkCounts.push(Number(msg.headers?.get('Loomrl-Chunks')));
      },
    });
    try {
      const nats = await record(overNats(big(), server.url, 'big').build(), 1);
      expect(nats.weights).toEqual(threads.weights);
      expect(nats.rewards).toEqual(threads.rewards);
      expect(Math.min(...chunkCounts)).toBeGreaterThanOrEqual(2);
      // The KV entry points into the Object Store, which holds the weights.
      const entry = await (await new Kvm(observer).open('loomrl-big-state')).get('state');
      const pointer = JSON.parse(new TextDecoder().decode(entry?.value)) as { object: string };
      const blob = await (await new Objm(observer).open('loomrl-big-weights')).getBlob(pointer.object);
      expect(blob?.length).toBeGreaterThan(65_536);
    } finally {
      sniff.unsubscribe();
      await observer.close();
      await stopAll(workers);
    }
  });
});
