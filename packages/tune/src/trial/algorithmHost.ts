import { Algorithm, configFromJSON } from '@loomrl/core';
import { loadEnvModules, resolveModuleSpecifier } from '@loomrl/core/internal';
import type { TrialStart } from './executor.js';

/** Imports `@loomrl/algorithms` (registers every built-in algorithm) and the trial's own modules. */
export async function importTrialModules(modules: readonly string[]): Promise<void> {
  await import('@loomrl/algorithms');
  for (const specifier of modules) await import(resolveModuleSpecifier(specifier));
}

/** Builds the algorithm of a trial: from its checkpoint when resuming, else from its config. */
export async function buildTrialAlgorithm(init: TrialStart): Promise<Algorithm> {
  await importTrialModules(init.modules);
  if (init.restoreFrom !== null) return Algorithm.fromCheckpoint(init.restoreFrom);
  const config = configFromJSON(init.config);
  await loadEnvModules(config.settings.envModules);
  const algo = config.build();
  await algo.ready();
  return algo;
}

/** A train result as plain data (structured-clone and JSON safe). */
export function plainResult(result: unknown): Record<string, unknown> {
  return structuredClone(result) as Record<string, unknown>;
}
