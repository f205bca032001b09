import { ConfigError, createRng, deriveIntSeed, makeEnv } from '@loomrl/core';
import { importEvaluationModules } from './modules.js';
import type { RecSimPolicyFactory } from './policy.js';
import { namedRecSimPolicies } from './registry.js';
import { meanAndStandardError } from './statistics.js';
import { runChunksOnThreads } from './threadPool.js';

/** What `evaluatePolicy` runs. */
export interface EvaluationOptions {
  /** A registered env id (the module registering it must be imported). */
  readonly envId: string;
  readonly envConfig?: Readonly<Record<string, unknown>>;
  /**
   * A policy name (a baseline, a name given to `registerRecSimPolicy`, or a key of `policies`) or, for
   * current-thread runs only, a factory.
   */
  readonly policy: string | RecSimPolicyFactory;
  /** Extra named policies besides the baselines and registered ones (current thread only). */
  readonly policies?: Readonly<Record<string, RecSimPolicyFactory>>;
  /**
   * Worker threads to run chunks on: 0 (default) runs them on the current thread; n >= 1 or `'auto'`
   * (the machine's parallelism) runs them on a thread pool. The numbers do not depend on it.
   */
  readonly numThreads?: number | 'auto';
  /**
   * Modules imported first, registering env ids (like `environment({ envModules })`): by every
   * evaluation thread, or by the current thread when `numThreads` is 0.
   */
  readonly envModules?: readonly string[];
  /** Modules imported next (by every thread, or the current one), calling `registerRecSimPolicy` for the policies they name. */
  readonly policyModules?: readonly string[];
  /** How many episodes in total. */
  readonly episodes: number;
  /** The evaluation seed (default 0); chunk seeds derive from it. */
  readonly seed?: number;
  /** Episodes per independently seeded chunk (default 10). Results depend on it, not on how chunks are scheduled. */
  readonly episodesPerChunk?: number;
  /** Safety cap on an episode's length (default 100 000 steps); the episode is cut there. */
  readonly maxEpisodeSteps?: number;
}

/** One independently seeded piece of an evaluation: plain data, so a worker thread can run it. */
export interface EvaluationChunk {
  readonly envId: string;
  readonly envConfig: Readonly<Record<string, unknown>>;
  /** The policy's name. */
  readonly policy: string;
  readonly index: number;
  readonly episodes: number;
  /** Passed to the first `reset({ seed })` of the chunk; later episodes continue the streams. */
  readonly envSeed: number;
  /** Seeds the policy's stream. */
  readonly policySeed: number;
  readonly maxEpisodeSteps: number;
}

/** What one chunk produced: per-episode returns and lengths, in episode order. */
export interface ChunkResult {
  readonly index: number;
  readonly returns: readonly number[];
  readonly lengths: readonly number[];
}

/** The summary `evaluatePolicy` returns. */
export interface EvaluationResult {
  readonly episodes: number;
  readonly meanReturn: number;
  /** Sample standard deviation of the returns. */
  readonly stdReturn: number;
  /** Standard error of the mean return. */
  readonly stdErrReturn: number;
  readonly meanLength: number;
  /** Every episode's return, in chunk then episode order. */
  readonly returns: readonly number[];
  readonly lengths: readonly number[];
}

/** Runs chunks and returns their results in any order (they are re-sorted by index). */
export type ChunkExecutor = (
  chunks: readonly EvaluationChunk[],
  policies: Readonly<Record<string, RecSimPolicyFactory>>,
) => Promise<readonly ChunkResult[]>;

const LOCAL_POLICY = '(factory)';

/** Splits an evaluation into independently seeded chunks (deterministic in the options). */
export function planEvaluation(options: EvaluationOptions): EvaluationChunk[] {
  const { episodes } = options;
  if (!Number.isInteger(episodes) || episodes < 1)
    throw new ConfigError(`evaluatePolicy: episodes must be an integer >= 1, got ${episodes}`);
  const perChunk = options.episodesPerChunk ?? 10;
  if (!Number.isInteger(perChunk) || perChunk < 1) {
    throw new ConfigError(`evaluatePolicy: episodesPerChunk must be an integer >= 1, got ${perChunk}`);
  }
  const maxEpisodeSteps = options.maxEpisodeSteps ?? 100_000;
  const seed = options.seed ?? 0;
  const policy = typeof options.policy === 'string' ? options.policy : LOCAL_POLICY;
  const chunks: EvaluationChunk[] = [];
  for (let index = 0, start = 0; start < episodes; index++, start += perChunk) {
    chunks.push({
      envId: options.envId,
      envConfig: { ...(options.envConfig ?? {}) },
      policy,
      index,
      episodes: Math.min(perChunk, episodes - start),
      envSeed: deriveIntSeed(seed, 'evaluation', index, 'env'),
      policySeed: deriveIntSeed(seed, 'evaluation', index, 'policy'),
      maxEpisodeSteps,
    });
  }
  return chunks;
}

/** Runs one chunk on the current thread. */
export function runEvaluationChunk(
  chunk: EvaluationChunk,
  policies: Readonly<Record<string, RecSimPolicyFactory>> = namedRecSimPolicies(),
): ChunkResult {
  const factory = policies[chunk.policy];
  if (factory === undefined) {
    throw new ConfigError(`evaluatePolicy: unknown policy "${chunk.policy}". Known: ${Object.keys(policies).join(', ')}.`);
  }
  const env = makeEnv(chunk.envId, chunk.envConfig);
  const policy = factory({ env, envId: chunk.envId, envConfig: chunk.envConfig, rng: createRng(chunk.policySeed, 'policy') });
  const returns: number[] = [];
  const lengths: number[] = [];
  try {
    for (let e = 0; e < chunk.episodes; e++) {
      policy.reset?.();
      let { obs } = env.reset(e === 0 ? { seed: chunk.envSeed } : undefined);
      let total = 0;
      let length = 0;
      for (;;) {
        const step = env.step(policy.act(obs));
        total += step.reward;
        length += 1;
        obs = step.obs;
        const cut = !step.terminated && !step.truncated && length >= chunk.maxEpisodeSteps;
        policy.observe?.({ reward: step.reward, obs, terminated: step.terminated, truncated: step.truncated || cut });
        if (step.terminated || step.truncated || cut) break;
      }
      returns.push(total);
      lengths.push(length);
    }
  } finally {
    env.close?.();
  }
  return { index: chunk.index, returns, lengths };
}

/** Runs chunks one after another on the current thread (policy functions work here only). */
export const runChunksOnCurrentThread: ChunkExecutor = async (chunks, policies) => chunks.map((c) => runEvaluationChunk(c, policies));

/** Combines chunk results (in index order) into mean return ± standard error and mean length. */
export function summarizeEvaluation(results: readonly ChunkResult[]): EvaluationResult {
  const ordered = [...results].sort((a, b) => a.index - b.index);
  const returns = ordered.flatMap((r) => r.returns);
  const lengths = ordered.flatMap((r) => r.lengths);
  const { mean, std, stdErr } = meanAndStandardError(returns);
  return {
    episodes: returns.length,
    meanReturn: mean,
    stdReturn: std,
    stdErrReturn: stdErr,
    meanLength: meanAndStandardError(lengths).mean,
    returns,
    lengths,
  };
}

/** The executor `evaluatePolicy` uses for `options`: the current thread, or a pool when `numThreads` is set. */
function executorFor(options: EvaluationOptions): ChunkExecutor {
  const numThreads = options.numThreads ?? 0;
  if (numThreads === 0) return runChunksOnCurrentThread;
  if (typeof options.policy === 'function') {
    throw new ConfigError(
      `evaluatePolicy: a policy function cannot cross threads (numThreads: ${String(numThreads)}); register it with registerRecSimPolicy in a module and list that module in policyModules, or use numThreads: 0.`,
    );
  }
  if (options.policies !== undefined && options.policy in options.policies) {
    throw new ConfigError(
      `evaluatePolicy: policy "${options.policy}" comes from options.policies, which cannot cross threads; register it with registerRecSimPolicy in a module listed in policyModules.`,
    );
  }
  return runChunksOnThreads({ numThreads, envModules: options.envModules ?? [], policyModules: options.policyModules ?? [] });
}

/**
 * Runs a policy for `episodes` episodes and returns the mean return ± standard error and the mean
 * length. Episodes are split into independently seeded chunks, run on the current thread or, with
 * `numThreads`, on a worker-thread pool; any executor gives the same numbers for the same options.
 */
export async function evaluatePolicy(options: EvaluationOptions, executor?: ChunkExecutor): Promise<EvaluationResult> {
  const chunks = planEvaluation(options);
  const run = executor ?? executorFor(options);
  // On the current thread, the modules a thread would import are imported here: the same options work with any numThreads.
  if (run === runChunksOnCurrentThread) await importEvaluationModules(options.envModules ?? [], options.policyModules ?? []);
  const policies: Record<string, RecSimPolicyFactory> = { ...namedRecSimPolicies(), ...(options.policies ?? {}) };
  if (typeof options.policy === 'function') policies[LOCAL_POLICY] = options.policy;
  return summarizeEvaluation(await run(chunks, policies));
}
