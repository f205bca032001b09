import { ConfigError, describeValue, didYouMean, EnvError } from '../errors.js';
import { importModules } from '../loading/moduleLoader.js';
import { DEFAULT_ENV_CONTEXT, type Env, type EnvContext, type EnvCreator, type EnvSpec } from './env.js';
import { TimeLimit } from './wrapper.js';

/** Registry facts given with `registerEnv`. */
export interface RegisterEnvOptions {
  /** Episodes are truncated after this many steps; omitted = never. */
  readonly maxEpisodeSteps?: number;
  /** The mean return at which the env counts as solved. */
  readonly rewardThreshold?: number;
}

interface Registration {
  readonly creator: EnvCreator<never>;
  readonly spec: EnvSpec;
}

const registry = new Map<string, Registration>();

/**
 * Registers an env creator under `id`, so configs can name it and worker threads can build it
 * (after importing the module that registers it, listed in `environment({ envModules })`).
 * Registering an id again replaces the earlier creator.
 */
export function registerEnv<C = Record<string, unknown>>(id: string, creator: EnvCreator<C>, options: RegisterEnvOptions = {}): void {
  if (typeof id !== 'string' || id.length === 0)
    throw new EnvError(`registerEnv: id must be a non-empty string, got ${JSON.stringify(id)}`);
  if (typeof creator !== 'function')
    throw new EnvError(`registerEnv("${id}"): creator must be a function (envConfig, context) => Env, got ${typeof creator}`);
  registry.set(id, { creator: creator as EnvCreator<never>, spec: { id, ...options } });
}

/** Whether an env is registered under `id`. */
export function isEnvRegistered(id: string): boolean {
  return registry.has(id);
}

/** The ids of all registered envs, sorted. */
export function listEnvs(): string[] {
  return [...registry.keys()].sort();
}

/** The registry facts of `id`. */
export function envSpec(id: string): EnvSpec {
  return lookup(id).spec;
}

function lookup(id: string): Registration {
  const registration = registry.get(id);
  if (registration === undefined) {
    const known = listEnvs();
    throw new EnvError(
      `Unknown env id "${id}".${didYouMean(id, known)} Registered envs: ${known.length ? known.join(', ') : '(none)'}. ` +
        'Import the module that registers it (e.g. "@loomrl/envs"), or list it in environment({ envModules }).',
    );
  }
  return registration;
}

/** Checks that `value` has the shape of an `Env` and names what is missing. */
export function assertEnvShape(value: unknown, source: string): asserts value is Env {
  const env = value as Partial<Env> | null;
  const missing: string[] = [];
  if (typeof env !== 'object' || env === null)
    throw new EnvError(`${source} must return an Env object, got ${env === null ? 'null' : typeof env}`);
  if (typeof env.reset !== 'function') missing.push('reset()');
  if (typeof env.step !== 'function') missing.push('step()');
  if (typeof env.observationSpace !== 'object' || env.observationSpace === null) missing.push('observationSpace');
  if (typeof env.actionSpace !== 'object' || env.actionSpace === null) missing.push('actionSpace');
  if (missing.length > 0) throw new EnvError(`${source} returned an object that is not an Env: it lacks ${missing.join(', ')}`);
}

/**
 * Builds the env registered under `id` with `envConfig`, wrapped in a `TimeLimit` when the
 * registration has `maxEpisodeSteps` (as `gymnasium.make` does).
 */
export function makeEnv<O = unknown, A = unknown>(
  id: string,
  envConfig: Readonly<Record<string, unknown>> = {},
  context: EnvContext = DEFAULT_ENV_CONTEXT,
): Env<O, A> {
  const { creator, spec } = lookup(id);
  if (typeof envConfig !== 'object' || envConfig === null || Array.isArray(envConfig)) {
    throw new ConfigError(`makeEnv("${id}", envConfig): envConfig must be a plain object of options, got ${describeValue(envConfig)}.`);
  }
  let env: unknown;
  try {
    env = (creator as EnvCreator<Readonly<Record<string, unknown>>>)(envConfig, context);
  } catch (error) {
    if (error instanceof EnvError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new EnvError(`The creator of env "${id}" threw: ${reason}`, { cause: error });
  }
  assertEnvShape(env, `The creator of env "${id}"`);
  const built = spec.maxEpisodeSteps === undefined ? env : new TimeLimit(env, spec.maxEpisodeSteps);
  built.spec = spec;
  return built as Env<O, A>;
}

/**
 * Imports env modules (file URLs, absolute paths, `./` paths from the working directory, or package
 * names) so their `registerEnv` calls run; `.ts` modules register tsx first (see `importModules`).
 * Throws an `EnvError` naming the module that failed.
 */
export async function loadEnvModules(specifiers: readonly string[]): Promise<void> {
  await importModules(specifiers, { kind: 'env module', error: (message, cause) => new EnvError(message, { cause }) });
}
