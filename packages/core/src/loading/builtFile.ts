import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LoomError } from '../errors.js';
import { isTypeScriptSpecifier } from './moduleLoader.js';

const SOURCE_DIR = '/src/';

/**
 * The URL of a built file that a thread loads by path (a worker entry, a piscina task), from the URL
 * of the module asking (its `import.meta.url`) and the file's path relative to that module: a built
 * module (`…/dist/a/b.js`) resolves `relative` beside itself; a source module (`…/src/a/b.ts`, as when
 * tests run on the sources) resolves it beside its built twin (`…/dist/a/b.js`). Threads always run
 * built JavaScript, so this is the one place that maps a package's sources to its `dist`.
 */
export function builtFileUrl(moduleUrl: string, relative: string): URL {
  if (!isTypeScriptSpecifier(moduleUrl)) return new URL(relative, moduleUrl);
  const at = moduleUrl.lastIndexOf(SOURCE_DIR);
  if (at < 0) return new URL(relative, moduleUrl);
  const builtTwin = `${moduleUrl.slice(0, at)}/dist/${moduleUrl.slice(at + SOURCE_DIR.length).replace(/\.(c|m)?tsx?$/i, '.js')}`;
  return new URL(relative, builtTwin);
}

/**
 * Throws `makeError(message)` when the built file at `url` is missing — the package was not built, or
 * a bundler copied our modules into one file and left the files threads load by path behind.
 */
export function assertBuiltFile(url: URL, what: string, makeError: (message: string) => LoomError): void {
  const path = fileURLToPath(url);
  if (existsSync(path)) return;
  throw makeError(
    `${what} ${path} is missing. Build the package first (pnpm build); when bundling, keep the @loomrl/* packages ` +
      'external (e.g. esbuild --external:@loomrl/*), because threads load this file by path.',
  );
}
