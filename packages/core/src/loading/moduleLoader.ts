import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoomError } from '../errors.js';

const TS_EXTENSION = /\.(c|m)?tsx?$/i;

/** Whether a module specifier names a TypeScript file (`.ts`, `.mts`, `.cts`, `.tsx`); a `?query` or `#hash` is ignored. */
export function isTypeScriptSpecifier(specifier: string): boolean {
  return TS_EXTENSION.test(specifier.replace(/[?#].*$/, ''));
}

/**
 * Turns a module specifier into something `import()` accepts: absolute paths become file
 * URLs, and `./` or `../` paths are taken relative to the working directory (not to this file).
 * File URLs and package names pass through.
 */
export function resolveModuleSpecifier(specifier: string): string {
  if (isAbsolute(specifier) || /^[A-Za-z]:[\\/]/.test(specifier)) return pathToFileURL(specifier).href;
  if (specifier.startsWith('./') || specifier.startsWith('../')) return pathToFileURL(resolve(process.cwd(), specifier)).href;
  return specifier;
}

/** What `importModules` calls the modules in messages, and the error it throws. */
export interface ImportModulesOptions {
  /** What the modules are, e.g. `'env module'` or `'policy module'`. */
  readonly kind: string;
  /** Builds the error for a module that cannot be imported (an `EnvError`, a `ConfigError`, …). */
  readonly error: (message: string, cause: unknown) => LoomError;
}

let tsxRegistered = false;

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Registers tsx's ESM loader in this thread, once; loader hooks are per thread, so every thread needs it. */
async function registerTsx(specifier: string, options: ImportModulesOptions): Promise<void> {
  if (tsxRegistered) return;
  // A variable specifier keeps tsx an optional peer dependency: only TypeScript modules need it.
  const api = 'tsx/esm/api';
  let register: () => unknown;
  try {
    ({ register } = (await import(api)) as { register: () => unknown });
  } catch (error) {
    throw options.error(
      `${options.kind} "${specifier}" is TypeScript, and importing it needs tsx, but "tsx" could not be loaded (${reasonOf(error)}). ` +
        'Install tsx (npm i -D tsx) or compile the module to .js.',
      error,
    );
  }
  register();
  tsxRegistered = true;
}

/**
 * Imports modules in order so the registrations they run (`registerEnv`, `registerRecSimPolicy`, …)
 * take effect in this thread. The one rule for every module a config or an evaluation names, on
 * the main thread and in worker threads alike: specifiers resolve as `resolveModuleSpecifier` says,
 * and before the first TypeScript module tsx's loader is registered in the thread (tsx is an
 * optional peer). A module that cannot be imported throws `options.error`, naming the module.
 */
export async function importModules(specifiers: readonly string[], options: ImportModulesOptions): Promise<void> {
  for (const specifier of specifiers) {
    if (isTypeScriptSpecifier(specifier)) await registerTsx(specifier, options);
    try {
      await import(resolveModuleSpecifier(specifier));
    } catch (error) {
      throw options.error(`Could not import ${options.kind} "${specifier}": ${reasonOf(error)}`, error);
    }
  }
}
