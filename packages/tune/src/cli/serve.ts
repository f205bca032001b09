import { readFile } from 'node:fs/promises';
import { loadPolicy } from '../policy/loadedPolicy.js';
import { serveExternalEnv } from '../serve/external/serveExternalEnv.js';
import { servePolicy } from '../serve/servePolicy.js';
import type { PolicyServer, ServeOptions } from '../serve/server.js';
import { type CliIo, UsageError } from './io.js';

/** Flags of `loomrl serve`. */
export interface ServeFlags {
  host: string;
  port: number;
  tokenFile?: string;
  insecureNoAuth?: boolean;
  maxBatchSize: number;
  batchWaitMs: number;
  bodyLimitBytes: number;
  module?: string[];
  train?: boolean;
  envSlots?: number;
  checkpointDir?: string;
  checkpointFreq?: number;
}

async function readToken(flags: ServeFlags): Promise<string | undefined> {
  if (flags.tokenFile !== undefined) {
    const token = (
      await readFile(flags.tokenFile, 'utf8').catch(() => {
        throw new UsageError(`--token-file: cannot read "${flags.tokenFile}"`);
      })
    ).trim();
    if (token.length === 0) throw new UsageError(`--token-file: "${flags.tokenFile}" is empty`);
    return token;
  }
  const fromEnv = process.env.LOOMRL_SERVE_TOKEN;
  return fromEnv === undefined || fromEnv.length === 0 ? undefined : fromEnv;
}

/** The external-env server for `--train`: the checkpoint's config and weights, trained on the clients' episodes. */
async function trainingServer(checkpoint: string, flags: ServeFlags, options: ServeOptions, io: CliIo): Promise<PolicyServer> {
  const restored = await loadPolicy(checkpoint, flags.module ?? []);
  const config = restored.algorithm.config.copy();
  await restored.algorithm.stop();
  if (flags.envSlots !== undefined) config.rollouts({ numEnvsPerWorker: flags.envSlots });
  const server = await serveExternalEnv({
    ...options,
    config,
    restoreFrom: checkpoint,
    ...(flags.checkpointDir === undefined ? {} : { checkpointDir: flags.checkpointDir, checkpointFreq: flags.checkpointFreq ?? 10 }),
    onResult: (r) => io.out(`iteration ${r.trainingIteration}: ${r.timestepsTotal} env steps, reward ${r.episodeRewardMean}\n`),
  });
  const slots = Math.max(1, config.settings.numRolloutWorkers) * config.settings.numEnvsPerWorker;
  io.out(`Training on external episodes: ${slots} env slots (keep at least that many episodes running).\n`);
  return server;
}

/** Runs `loomrl serve CHECKPOINT` until SIGINT or SIGTERM; prints `Serving … at <url>` once it listens. */
export async function serve(checkpoint: string, flags: ServeFlags, io: CliIo): Promise<number> {
  const token = await readToken(flags);
  const options: ServeOptions = {
    host: flags.host,
    port: flags.port,
    ...(token === undefined ? {} : { token }),
    insecureNoAuth: flags.insecureNoAuth === true,
    maxBatchSize: flags.maxBatchSize,
    batchWaitMs: flags.batchWaitMs,
    bodyLimitBytes: flags.bodyLimitBytes,
  };
  const server = flags.train
    ? await trainingServer(checkpoint, flags, options, io)
    : await servePolicy(checkpoint, { ...options, modules: flags.module ?? [] });
  io.out(`Serving ${checkpoint} at ${server.url}${token === undefined ? '' : ' (bearer token required)'}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  io.out('Server stopped.\n');
  return 0;
}
