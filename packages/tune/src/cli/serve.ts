import { readFile } from 'node:fs/promises';
import { servePolicy } from '../serve/servePolicy.js';
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

/** Runs `loomrl serve CHECKPOINT` until SIGINT or SIGTERM; prints `Serving … at <url>` once it listens. */
export async function serve(checkpoint: string, flags: ServeFlags, io: CliIo): Promise<number> {
  const token = await readToken(flags);
  const server = await servePolicy(checkpoint, {
    host: flags.host,
    port: flags.port,
    ...(token === undefined ? {} : { token }),
    insecureNoAuth: flags.insecureNoAuth === true,
    maxBatchSize: flags.maxBatchSize,
    batchWaitMs: flags.batchWaitMs,
    bodyLimitBytes: flags.bodyLimitBytes,
    modules: flags.module ?? [],
  });
  io.out(`Serving ${checkpoint} at ${server.url}${token === undefined ? '' : ' (bearer token required)'}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  io.out('Server stopped.\n');
  return 0;
}
