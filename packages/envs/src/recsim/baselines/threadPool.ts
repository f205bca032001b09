import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@loomrl/core';
import { Piscina } from 'piscina';
import type { ChunkExecutor, ChunkResult, EvaluationChunk } from './evaluate.js';
import type { EvaluationThreadData } from './thread/evaluationTask.js';

/** How `runChunksOnThreads` runs chunks. */
export interface ThreadExecutorOptions {
  /** Threads in the pool (>= 1), or `'auto'`: the machine's available parallelism. Never more than there are chunks. */
  readonly numThreads: number | 'auto';
  /** Modules every thread imports first (absolute paths, `file:` URLs or package names); they register env ids. */
  readonly envModules?: readonly string[];
  /** Modules every thread imports next; they call `registerRecSimPolicy`. */
  readonly policyModules?: readonly string[];
}

/** The built task file: from the sources (tests run on `src`), the built copy in `dist`. */
function taskFileUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../../dist/recsim/baselines/thread/evaluationTask.js', here)
    : new URL('./thread/evaluationTask.js', here);
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
 * An executor that runs chunks on a pool of worker threads (piscina). Each thread imports
 * `@loomrl/envs` from `dist`, then `envModules` and `policyModules`, and builds the policy by name.
 * The pool lives for one `evaluatePolicy` call. Results equal the current thread's bit for bit.
 */
export function runChunksOnThreads(options: ThreadExecutorOptions): ChunkExecutor {
  const envModules = [...(options.envModules ?? [])];
  const policyModules = [...(options.policyModules ?? [])];
  checkSpecifiers('envModules', envModules);
  checkSpecifiers('policyModules', policyModules);
  return async (chunks: readonly EvaluationChunk[]): Promise<readonly ChunkResult[]> => {
    const threads = resolveThreadCount(options.numThreads, chunks.length);
    const file = taskFileUrl();
    if (!existsSync(fileURLToPath(file))) {
      throw new ConfigError(
        `evaluatePolicy: the evaluation thread file ${fileURLToPath(file)} is missing; build @loomrl/envs first (pnpm build).`,
      );
    }
    const workerData: EvaluationThreadData = { envModules, policyModules };
    const pool = new Piscina({ filename: file.href, minThreads: threads, maxThreads: threads, workerData });
    try {
      return await Promise.all(chunks.map((chunk) => pool.run(chunk) as Promise<ChunkResult>));
    } finally {
      await pool.destroy();
    }
  };
}
