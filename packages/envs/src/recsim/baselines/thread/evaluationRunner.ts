/**
 * The work of an evaluation thread: imports `@loomrl/envs` (the built-in envs), then the listed env
 * and policy modules once per thread, then runs chunks with the baselines and registered policies.
 */
import { workerData } from 'node:worker_threads';
import '../../../index.js';
import type { EvaluationChunk } from '../evaluate.js';
import { runEvaluationChunk } from '../evaluate.js';
import { importEvaluationModules } from '../modules.js';
import { namedRecSimPolicies } from '../registry.js';
import { failureReply, type ThreadReply } from '../threadReply.js';

/** What every thread of a pool receives once (the thread's `workerData`). */
export interface EvaluationThreadData {
  /** Env modules, imported first (they register env ids). */
  readonly envModules: readonly string[];
  /** Policy modules, imported next (they call `registerRecSimPolicy`). */
  readonly policyModules: readonly string[];
}

let ready: Promise<void> | undefined;

/** Runs one chunk; any error (a module that fails, an unknown policy, a policy that throws) is returned as data. */
export async function runChunkInThread(chunk: EvaluationChunk): Promise<ThreadReply> {
  try {
    const data = workerData as EvaluationThreadData;
    ready ??= importEvaluationModules(data.envModules, data.policyModules);
    await ready;
    return { result: runEvaluationChunk(chunk, namedRecSimPolicies()) };
  } catch (error) {
    return failureReply(error);
  }
}
