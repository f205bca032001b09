import { ConfigError } from '@loomrl/core';
import { importModules } from '@loomrl/core/internal';

/**
 * Imports an evaluation's env modules, then its policy modules, in the current thread (with
 * `importModules`' rule: `.ts` modules register tsx first). A module that fails is a `ConfigError`
 * naming it.
 */
export async function importEvaluationModules(envModules: readonly string[], policyModules: readonly string[]): Promise<void> {
  const error = (message: string, cause: unknown) => new ConfigError(`evaluatePolicy: ${message}`, { cause });
  await importModules(envModules, { kind: 'env module', error });
  await importModules(policyModules, { kind: 'policy module', error });
}
