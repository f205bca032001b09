import { ConfigError, DataError, describeValue, didYouMean } from '../errors.js';
import { importModules } from '../loading/moduleLoader.js';
import type { InferenceModule } from './module.js';
import type { ModuleSpec, ModuleTensors } from './spec.js';

/** Builds an inference module of one kind from its spec. */
export type ModuleFactory = (spec: ModuleSpec) => InferenceModule;

const kinds = new Map<string, ModuleFactory>();

/**
 * Registers a module kind, so specs naming it can be built in this thread. Built-in kinds register
 * when `@loomrl/core` loads; a user's own kind registers in a module listed in
 * `rlModule({ modules })`, which every worker thread imports before it builds its modules.
 * Registering a kind again replaces the earlier factory.
 */
export function registerModuleKind(kind: string, factory: ModuleFactory): void {
  if (typeof kind !== 'string' || kind.length === 0)
    throw new ConfigError(`registerModuleKind: kind must be a non-empty string, got ${describeValue(kind)}.`);
  if (typeof factory !== 'function')
    throw new ConfigError(`registerModuleKind("${kind}"): factory must be a function (spec) => InferenceModule.`);
  kinds.set(kind, factory);
}

/** The registered module kinds, sorted. */
export function listModuleKinds(): string[] {
  return [...kinds.keys()].sort();
}

/** Whether `kind` is registered in this thread. */
export function isModuleKindRegistered(kind: string): boolean {
  return kinds.has(kind);
}

/** Builds the module `spec` describes; an unknown kind is a `ConfigError` listing the registered ones. */
export function createModule(spec: ModuleSpec): InferenceModule {
  const factory = kinds.get(spec.kind);
  if (factory === undefined) {
    const known = listModuleKinds();
    throw new ConfigError(
      `Unknown module kind "${spec.kind}".${didYouMean(spec.kind, known)} Registered kinds: ${known.join(', ')}. ` +
        'Register yours with registerModuleKind() in a module listed in rlModule({ modules }).',
    );
  }
  return factory(spec);
}

/** Checks `tensors` against a module's state layout: every name present, right length and dtype, finite. */
export function checkModuleTensors(module: InferenceModule, tensors: ModuleTensors): void {
  for (const [name, expected] of Object.entries(module.stateLayout)) {
    const tensor = tensors[name];
    const kind = module.spec.kind;
    if (tensor === undefined)
      throw new DataError(`Module "${kind}": state tensor "${name}" is missing (got ${Object.keys(tensors).join(', ') || 'none'}).`);
    const dtype = tensor instanceof Float64Array ? 'f64' : 'f32';
    if (tensor.length !== expected.length || dtype !== expected.dtype) {
      throw new DataError(
        `Module "${kind}": state tensor "${name}" is ${dtype}[${tensor.length}], expected ${expected.dtype}[${expected.length}].`,
      );
    }
  }
}

/**
 * Imports the modules of `rlModule({ modules })` so the module kinds they register exist in this
 * thread (the main thread, and every worker thread before it builds its modules); `.ts` modules
 * need tsx. A module that cannot be imported is a `ConfigError` naming it.
 */
export async function loadModuleKinds(specifiers: readonly string[]): Promise<void> {
  await importModules(specifiers, { kind: 'rlModule({ modules }) module', error: (message, cause) => new ConfigError(message, { cause }) });
}
