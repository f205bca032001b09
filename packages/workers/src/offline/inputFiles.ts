import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '@loomrl/core';
import picomatch from 'picomatch';
import { expandPath } from './jsonWriter.js';

/**
 * The files matching glob `pattern` (picomatch syntax: `*`, `**`, `?`, `[…]`, `{a,b}`): its static
 * base directory is listed (recursively when the pattern spans directories) and every file's path
 * relative to the base is matched. (picomatch, not a glob walker that imports `createRequire`:
 * that breaks bundles with the usual esbuild `require` banner.)
 */
function globFiles(pattern: string): string[] {
  const posix = pattern.replaceAll('\\', '/');
  const { base, glob } = picomatch.scan(posix);
  const root = resolve(base === '' ? '.' : base);
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  const match = picomatch(glob, { dot: false });
  const names =
    glob.includes('/') || glob.includes('**') ? readdirSync(root, { recursive: true, encoding: 'utf8' }) : readdirSync(root, 'utf8');
  return names
    .map((name) => join(root, name))
    .filter((path) => match(relative(root, path).replaceAll('\\', '/')) && statSync(path).isFile());
}

/** A path with a URI scheme (`s3://…`); a Windows drive letter is not one. */
const URI = /^[a-z][a-z0-9+.-]+:\/\//i;

function filesOf(entry: string, where: string): string[] {
  if (URI.test(entry))
    throw new ConfigError(`${where}: ${JSON.stringify(entry)} is a URI; LoomRL reads local files (a path, directory or glob).`);
  const path = expandPath(entry);
  if (existsSync(path) && statSync(path).isDirectory()) {
    return readdirSync(path, 'utf8')
      .filter((name) => name.endsWith('.json') && statSync(join(path, name)).isFile())
      .map((name) => join(path, name))
      .sort();
  }
  if (picomatch.scan(entry).isGlob) return globFiles(path).sort();
  return existsSync(path) ? [path] : [];
}

/**
 * The files of an offline input (RLlib's `JsonReader` inputs): a file, a directory (its `*.json`
 * files), a glob, or a list of them, `~` expanded, sorted (RLlib leaves glob results unsorted; sorted
 * files make a seeded run reproducible). No files → a `ConfigError` naming the input.
 */
export function resolveInputFiles(input: string | readonly string[], where: string): string[] {
  const entries = typeof input === 'string' ? [input] : [...input];
  const files = entries.flatMap((entry) => filesOf(entry, where));
  if (files.length === 0) {
    throw new ConfigError(
      `${where}: no files match ${JSON.stringify(input)} (a file, a directory of *.json files, or a glob such as "data/*.json").`,
    );
  }
  return files;
}
