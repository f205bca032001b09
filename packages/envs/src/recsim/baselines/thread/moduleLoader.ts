import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@loomrl/core';

const TS_EXTENSION = /\.(c|m)?tsx?$/i;
let typeScriptRegistered = false;

/** A module specifier made importable: absolute paths become `file:` URLs; URLs and package names stay. */
export function importableSpecifier(specifier: string): string {
  return isAbsolute(specifier) ? pathToFileURL(specifier).href : specifier;
}

/** Registers tsx's ESM loader in this thread (loader hooks are per thread) when a module is TypeScript. */
async function registerTypeScriptIfNeeded(specifiers: readonly string[]): Promise<void> {
  const module = specifiers.find((s) => TS_EXTENSION.test(s.replace(/[?#].*$/, '')));
  if (typeScriptRegistered || module === undefined) return;
  const api = 'tsx/esm/api'; // a variable keeps tsx optional: only .ts modules need it
  try {
    const { register } = (await import(api)) as { register: () => unknown };
    register();
    typeScriptRegistered = true;
  } catch (error) {
    throw new ConfigError(
      `evaluatePolicy: module "${module}" is TypeScript and evaluation threads need tsx to import it, but "tsx" could not be loaded ` +
        `(${error instanceof Error ? error.message : String(error)}). Install it or compile the module to .js.`,
      { cause: error },
    );
  }
}

/** Imports the env and policy modules in order (each registers envs or policies); errors name the module. */
export async function importModules(specifiers: readonly string[]): Promise<void> {
  await registerTypeScriptIfNeeded(specifiers);
  for (const specifier of specifiers) {
    try {
      await import(importableSpecifier(specifier));
    } catch (error) {
      throw new ConfigError(
        `evaluatePolicy: module "${specifier}" failed to import in an evaluation thread: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
}
