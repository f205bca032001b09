import { Algorithm, type Env, makeEnv, type Space } from '@loomrl/core';
import { loadEnvModules, resolveModuleSpecifier } from '@loomrl/core/internal';

/** A trained algorithm restored from a checkpoint, with its env's spaces (for serving, evaluating, exporting). */
export interface LoadedPolicy {
  readonly algorithm: Algorithm;
  readonly checkpoint: string;
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  /** A new env of the checkpoint's config (env id and envConfig). */
  makeEnv(envConfig?: Record<string, unknown>): Env<unknown, unknown>;
}

/**
 * Restores `checkpoint` with `Algorithm.fromCheckpoint` (any registered algorithm; the built-in
 * ones are imported here, `modules` may register more) and builds one env of its config to learn
 * the observation and action spaces.
 */
export async function loadPolicy(checkpoint: string, modules: readonly string[] = []): Promise<LoadedPolicy> {
  await import('@loomrl/algorithms');
  for (const specifier of modules) await import(resolveModuleSpecifier(specifier));
  const algorithm = await Algorithm.fromCheckpoint(checkpoint);
  const s = algorithm.config.settings;
  await loadEnvModules(s.envModules);
  const build = (envConfig: Record<string, unknown> = {}) => makeEnv(s.env as string, { ...s.envConfig, ...envConfig });
  const probe = build();
  const spaces = { observationSpace: probe.observationSpace, actionSpace: probe.actionSpace };
  probe.close?.();
  return { algorithm, checkpoint, ...spaces, makeEnv: build };
}
