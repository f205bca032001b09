import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvError, type LoomError } from '@loomrl/core';
import { TransportError } from '@loomrl/nats';
import { WorkerError } from '@loomrl/workers';
import { nkeys } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overNats, smallPPO } from './__fixtures__/configs.js';
import { freePort, NatsServer } from './__fixtures__/natsServer.js';
import { startWorkers, WorkerProcess } from './__fixtures__/workerProcesses.js';

/** The error `promise` rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

describe('bad input to NATS workers gets a clear error', () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await NatsServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an unreachable server: train() rejects with a TransportError naming the URL', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const algo = overNats(smallPPO(), url, 'unreachable').build();
    try {
      const error = await rejection(algo.train());
      expect(error).toBeInstanceOf(TransportError);
      expect((error as LoomError).code).toBe('TRANSPORT_FAILED');
      expect(error.message).toContain(`Cannot reach the NATS server at ${url}`);
    } finally {
      await algo.stop();
    }
  });

  it('a server without JetStream: the error says to start it with -js', async () => {
    const plain = await NatsServer.start({ jetStream: false });
    const algo = overNats(smallPPO(), plain.url, 'no-js').build();
    try {
      const error = await rejection(algo.train());
      expect(error).toBeInstanceOf(TransportError);
      expect(error.message).toMatch(new RegExp(`The NATS server at ${plain.url} has no JetStream .*nats-server -js`));
    } finally {
      await algo.stop();
      await plain.stop();
    }
  });

  it('no worker process joins within joinTimeoutS: the error names the experiment, the server and the command to run', async () => {
    const algo = overNats(smallPPO(), server.url, 'lonely', { joinTimeoutS: 1 }).build();
    try {
      const error = await rejection(algo.train());
      expect(error).toBeInstanceOf(WorkerError);
      expect(error.message).toContain(
        `no loomrl-worker process joined experiment "lonely" at ${server.url} within 1 s (rollouts({ remote: { joinTimeoutS } })); start one with: loomrl-worker --nats ${server.url} --name lonely`,
      );
    } finally {
      await algo.stop();
    }
  });

  it('an experiment name another learner serves: the second learner is refused', async () => {
    const first = overNats(smallPPO(), server.url, 'taken', { joinTimeoutS: 20 }).build();
    const firstDone = first.train().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = overNats(smallPPO(), server.url, 'taken').build();
    try {
      const error = await rejection(second.train());
      expect(error).toBeInstanceOf(TransportError);
      expect(error.message).toMatch(/Experiment "taken" is already served by another learner \(host ".+", pid \d+\)/);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
      await firstDone;
    }
  });

  it('a worker whose experiment no learner serves exits, listing the experiments that are served', async () => {
    const other = overNats(smallPPO(), server.url, 'served', { joinTimeoutS: 20 }).build();
    const otherDone = other.train().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const worker = new WorkerProcess(['--nats', server.url, '--name', 'nobody-serves', '--join-timeout', '1']);
    try {
      expect(await worker.exited).toBe(1);
      expect(worker.output).toMatch(
        new RegExp(
          `No learner serves experiment "nobody-serves" on ${server.url} \\(learners serving now: "served" \\(host ".+", pid \\d+\\)\\)`,
        ),
      );
    } finally {
      await other.stop();
      await otherDone;
    }
  });

  it('a worker whose env module is missing on its host: the error names the host, the module and the cause', async () => {
    const missing = '/nonexistent/loomrl/myEnvs.js';
    const algo = overNats(smallPPO().environment({ env: 'my/Env-v0', envModules: [missing] }), server.url, 'missing-env', {
      numNatsWorkers: 1,
    })
      .rollouts({ numRolloutWorkers: 1 })
      .build();
    const workers = startWorkers(1, server.url, 'missing-env');
    try {
      const error = await rejection(algo.train());
      expect(error).toBeInstanceOf(WorkerError);
      expect(error.message).toMatch(
        /rollout worker 1 on host "worker-1", pid \d+ \(env "my\/Env-v0"\) failed in start\(\): Could not import env module "\/nonexistent\/loomrl\/myEnvs\.js": Cannot find module/,
      );
      expect(error.cause).toBeInstanceOf(EnvError);
    } finally {
      await algo.stop();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });

  it('a worker of another package version is turned away; both sides name the versions', async () => {
    // A copy of @loomrl/nats claiming another version, using the same dependencies.
    const packageDir = fileURLToPath(new URL('..', import.meta.url));
    const copy = mkdtempSync(join(tmpdir(), 'loomrl-nats-other-'));
    cpSync(join(packageDir, 'dist'), join(copy, 'dist'), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
    writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...manifest, version: '9.9.9' }));
    symlinkSync(join(packageDir, 'node_modules'), join(copy, 'node_modules'));
    const algo = overNats(smallPPO(), server.url, 'versions', { joinTimeoutS: 4 }).build();
    const worker = new WorkerProcess(['--nats', server.url, '--name', 'versions', '--host', 'old-host'], {
      bin: join(copy, 'dist/bin/loomrlWorker.js'),
    });
    try {
      const mismatch = `@loomrl/nats ${manifest.version} on the learner, 9.9.9 on the worker`;
      expect(await worker.exited).toBe(1);
      expect(worker.output).toContain(`turned this worker (host "old-host", pid ${worker.child.pid}) away: package versions differ`);
      expect(worker.output).toContain(mismatch);
      const error = await rejection(algo.train());
      expect(error.message).toContain(`1 worker process(es) were turned away: host "old-host", pid ${worker.child.pid}: ${mismatch}`);
    } finally {
      await algo.stop();
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('NATS credentials', () => {
  let server: NatsServer;
  let dir: string;
  let seedFile: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loomrl-nats-auth-'));
    const user = nkeys.createUser();
    seedFile = join(dir, 'worker.nk');
    writeFileSync(seedFile, new TextDecoder().decode(user.getSeed()));
    const conf = join(dir, 'auth.conf');
    writeFileSync(conf, `authorization { users = [ { nkey: "${user.getPublicKey()}" } ] }\n`);
    server = await NatsServer.start({ args: ['-c', conf] });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('learner and workers authenticate with an nkey seed file; without it the server refuses, named', async () => {
    const refused = overNats(smallPPO(), server.url, 'auth').build();
    const error = await rejection(refused.train());
    await refused.stop();
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toMatch(new RegExp(`Cannot reach the NATS server at ${server.url}: .*[Aa]uthoriz`));

    const workers = startWorkers(2, server.url, 'auth', ['--credentials', seedFile]);
    const algo = overNats(smallPPO(), server.url, 'auth', { credentials: seedFile }).build();
    try {
      const result = await algo.train();
      expect(result.numEnvStepsSampledThisIter).toBe(256);
      expect(result.numHealthyWorkers).toBe(2);
    } finally {
      await algo.stop();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
