import { existsSync, statSync } from 'node:fs';
import { ConfigError } from '@loomrl/core';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { expandPath } from './jsonWriter.js';

/** A path with a URI scheme (`s3://…`); a Windows drive letter is not one. */
const URI = /^[a-z][a-z0-9+.-]+:\/\//i;

function filesOf(entry: string, where: string): string[] {
  if (URI.test(entry))
    throw new ConfigError(`${where}: ${JSON.stringify(entry)} is a URI; LoomRL reads local files (a path, directory or glob).`);
  const path = expandPath(entry);
  if (existsSync(path) && statSync(path).isDirectory()) {
    return globSync(['*.json'], { cwd: path, absolute: true, onlyFiles: true }).sort();
  }
  if (isDynamicPattern(entry)) return globSync([path.replaceAll('\\', '/')], { absolute: true, onlyFiles: true }).sort();
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
