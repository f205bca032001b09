/**
 * The evaluation thread's task (piscina loads this file from `dist`): imports the listed env and
 * policy modules once per thread, then runs one chunk with the baselines and registered policies.
 */
import { workerData } from 'node:worker_threads';
import '../../../index.js';
import type { ChunkResult, EvaluationChunk } from '../evaluate.js';
import { runEvaluationChunk } from '../evaluate.js';
import { namedRecSimPolicies } from '../registry.js';
import { importModules } from './moduleLoader.js';

/** What every thread of a pool receives once (the thread's `workerData`). */
export interface EvaluationThreadData {
  /** Env modules, imported first (they register env ids). */
  readonly envModules: readonly string[];
  /** Policy modules, imported next (they call `registerRecSimPolicy`). */
  readonly policyModules: readonly string[];
}

let ready: Promise<void> | undefined;

/** Runs one chunk in this thread. */
export default async function runChunk(chunk: EvaluationChunk): Promise<ChunkResult> {
  const data = workerData as EvaluationThreadData;
  ready ??= importModules([...data.envModules, ...data.policyModules]);
  await ready;
  return runEvaluationChunk(chunk, namedRecSimPolicies());
}
