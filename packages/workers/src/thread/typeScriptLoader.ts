import { EnvError } from '@loomrl/core';

const TS_EXTENSION = /\.(c|m)?tsx?$/i;

/** Whether any env module specifier names a TypeScript file (`.ts`, `.mts`, `.cts`, `.tsx`). */
export function hasTypeScriptModule(specifiers: readonly string[]): boolean {
  return specifiers.some((s) => TS_EXTENSION.test(s.replace(/[?#].*$/, '')));
}

let registered = false;

/**
 * Registers tsx's ESM loader in this thread so `import()` accepts `.ts` env modules. Loader hooks are per
 * thread, so this is needed even when the main script runs under tsx.
 * Throws an `EnvError` naming the module when tsx is not installed.
 */
export async function registerTypeScriptLoader(specifiers: readonly string[]): Promise<void> {
  if (registered || !hasTypeScriptModule(specifiers)) return;
  // A variable specifier keeps tsx an optional peer dependency: it is only needed for .ts modules.
  const api = 'tsx/esm/api';
  let register: () => unknown;
  try {
    ({ register } = (await import(api)) as { register: () => unknown });
  } catch (error) {
    const module = specifiers.find((s) => TS_EXTENSION.test(s)) ?? '';
    throw new EnvError(
      `env module "${module}" is TypeScript, and worker threads need tsx to import it, but "tsx" could not be loaded ` +
        `(${error instanceof Error ? error.message : String(error)}). Install it (npm i -D tsx) or compile the module to .js.`,
      { cause: error },
    );
  }
  register();
  registered = true;
}
