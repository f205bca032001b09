import { readFile, rename, writeFile } from 'node:fs/promises';

/** JSON with every non-finite number written as `null` (Ray writes bare `NaN`; LoomRL keeps the files valid JSON). */
export function stringifyFinite(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** JSON with keys sorted at every level and an indent of 2 (Tune's `params.json`). */
export function stringifySorted(value: unknown): string {
  return stringifyFinite(sortKeys(value), 2);
}

/** Parses JSON written by LoomRL or by Ray (whose encoder writes bare `NaN`/`Infinity` tokens). */
export function parseTolerant(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(text.replace(/([:[,]\s*)-?(?:NaN|Infinity)(?=\s*[,}\]])/g, '$1null'));
  }
}

/** Writes `text` to `path` through a temporary file and a rename, so a reader never sees half of it. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/** The parsed JSON at `path`, or `undefined` when the file does not exist. */
export async function readJsonIfExists(path: string): Promise<unknown> {
  try {
    return parseTolerant(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
