import { isEnvRegistered } from '@loomrl/core';

/** The package whose import registers LoomRL's built-in envs (CartPole-v1, …). */
export const BUILTIN_ENVS_MODULE = '@loomrl/envs';

/**
 * Imports `@loomrl/envs` when `envId` is not registered after the user's env modules ran, so
 * built-in ids work in threads without being listed. A missing package is left for the registry's
 * "unknown env id" error, which names the id and the registered ones.
 */
export async function importBuiltinEnvsIfNeeded(envId: string): Promise<void> {
  if (isEnvRegistered(envId)) return;
  const specifier = BUILTIN_ENVS_MODULE;
  try {
    await import(specifier);
  } catch {
    // Not installed: makeEnv reports the unknown id.
  }
}
