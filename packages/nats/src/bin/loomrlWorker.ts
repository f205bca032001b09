#!/usr/bin/env node
/**
 * `loomrl-worker --nats nats://host:4222 [--name experiment]`: a rollout worker process that joins
 * a LoomRL experiment over NATS and samples for its learner until stopped (SIGINT/SIGTERM).
 */
import { parseArgs } from 'node:util';
import type { LogLevel } from '@loomrl/core';
import { NatsWorkerProcess } from '../worker/workerProcess.js';

const USAGE = `Usage: loomrl-worker --nats <url>[,<url>…] [--name <experiment>] [--credentials <file>]
                     [--join-timeout <seconds>] [--host <name>] [--log-level <level>]

  --nats          NATS server URL(s), e.g. nats://10.0.0.5:4222 (repeat or comma-separate for a cluster)
  --name          the experiment to join: the learner's rollouts({ remote: { name } }) (default "default")
  --credentials   a NATS .creds file (user JWT + nkey seed) or a user nkey seed file
  --join-timeout  exit with an error when no learner serves the experiment for this long (default: wait for ever)
  --host          the host name this worker reports (default: the OS host name)
  --log-level     pino level: TRACE, DEBUG, INFO, WARN, ERROR, SILENT (default INFO)
`;

function fail(message: string, code: number): never {
  process.stderr.write(`loomrl-worker: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse().values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  const servers = (values.nats ?? []).flatMap((s) => s.split(',')).filter((s) => s.length > 0);
  if (servers.length === 0) fail(`--nats <url> is required.\n${USAGE}`, 2);
  const joinTimeout = values['join-timeout'] === undefined ? null : Number(values['join-timeout']);
  if (joinTimeout !== null && !(joinTimeout > 0)) fail(`--join-timeout expects seconds > 0, got "${values['join-timeout']}".`, 2);
  const worker = await NatsWorkerProcess.start({
    servers,
    name: values.name ?? 'default',
    credentials: values.credentials ?? null,
    joinTimeoutS: joinTimeout,
    logLevel: (values['log-level']?.toUpperCase() ?? 'INFO') as LogLevel,
    ...(values.host === undefined ? {} : { host: values.host }),
  });
  const stop = () => void worker.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.done;
}

function parse() {
  return parseArgs({
    options: {
      nats: { type: 'string', multiple: true },
      name: { type: 'string' },
      credentials: { type: 'string' },
      'join-timeout': { type: 'string' },
      host: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => fail(error instanceof Error ? error.message : String(error), 1),
);
