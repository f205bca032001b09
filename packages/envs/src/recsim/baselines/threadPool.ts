import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { ConfigError } from '@loomrl/core';
import { assertBuiltFile, builtFileUrl } from '@loomrl/core/internal';
import { Piscina } from 'piscina';
import type { ChunkExecutor, ChunkResult, EvaluationChunk } from './evaluate.js';
import type { EvaluationThreadData } from './thread/evaluationRunner.js';
import { type ThreadReply, unwrapReply } from './threadReply.js';

/** How `runChunksOnThreads` runs chunks. */
export interface ThreadExecutorOptions {
  /** Threads in the pool (>= 1), or `'auto'`: the machine's available parallelism. Never more than there are chunks. */
  readonly numThreads: number | 'auto';
  /** Modules every thread imports first (absolute paths, `file:` URLs or package names); they register env ids. */
  readonly envModules?: readonly string[];
  /** Modules every thread imports next; they call `registerRecSimPolicy`. */
  readonly policyModules?: readonly string[];
}

/** The pool size for `numThreads` and a number of chunks; throws a `ConfigError` naming a bad value. */
export function resolveThreadCount(numThreads: number | 'auto', chunks: number): number {
  if (numThreads === 'auto') return Math.max(1, Math.min(availableParallelism(), chunks));
  if (!Number.isInteger(numThreads) || numThreads < 1) {
    throw new ConfigError(`evaluatePolicy: numThreads must be an integer >= 1 or "auto", got ${String(numThreads)}`);
  }
  return Math.max(1, Math.min(numThreads, chunks));
}

function checkSpecifiers(name: string, specifiers: readonly string[]): void {
  for (const s of specifiers) {
    if (typeof s !== 'string' || s.length === 0)
      throw new ConfigError(`evaluatePolicy: ${name} must hold module specifiers (strings), got ${String(s)}`);
  }
}

/**
 * Runs every chunk on `pool`; the first failure (a chunk's error, or the pool's own `error` event,
 * e.g. a thread that throws outside a task) aborts the other chunks and rejects, once every chunk has settled.
 */
async function runAll(pool: Piscina, chunks: readonly EvaluationChunk[]): Promise<ChunkResult[]> {
  const abort = new AbortController();
  setMaxListeners(chunks.length + 1, abort.signal); // piscina listens once per queued chunk
  // Without a listener, the pool's 'error' event would crash the process instead of rejecting this call.
  const poolFailed = new Promise<never>((_, reject) => pool.on('error', reject));
  poolFailed.catch(() => undefined);
  const runs = chunks.map((chunk) => (pool.run(chunk, { signal: abort.signal }) as Promise<ThreadReply>).then(unwrapReply));
  try {
    return await Promise.race([Promise.all(runs), poolFailed]);
  } catch (error) {
    abort.abort();
    await Promise.allSettled(runs);
    throw error;
  }
}

/**
 * An executor that runs chunks on a pool of worker threads (piscina). Each thread imports
 * `@loomrl/envs` from `dist`, then `envModules` and `policyModules`, and builds the policy by name.
 * The pool lives for one `evaluatePolicy` call. Results equal the current thread's bit for bit; a
 * chunk's error rejects with its class (a `ConfigError` for an unknown policy, a policy's own error).
 */
export function runChunksOnThreads(options: ThreadExecutorOptions): ChunkExecutor {
  const envModules = [...(options.envModules ?? [])];
  const policyModules = [...(options.policyModules ?? [])];
  checkSpecifiers('envModules', envModules);
  checkSpecifiers('policyModules', policyModules);
  return async (chunks: readonly EvaluationChunk[]): Promise<readonly ChunkResult[]> => {
    const threads = resolveThreadCount(options.numThreads, chunks.length);
    const file = builtFileUrl(import.meta.url, './thread/evaluationTask.js');
    assertBuiltFile(file, 'evaluatePolicy: the evaluation thread file', (message) => new ConfigError(message));
    const workerData: EvaluationThreadData = { envModules, policyModules };
    const pool = new Piscina({ filename: file.href, minThreads: threads, maxThreads: threads, workerData });
    try {
      return await runAll(pool, chunks);
    } finally {
      await pool.destroy();
    }
  };
}
