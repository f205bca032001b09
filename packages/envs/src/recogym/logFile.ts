import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '@loomrl/core';
import type { RecoGymEnv } from './env.js';
import { type RecoGymLogOptions, type RecoGymLogRow, streamRecoGymLogs } from './logs.js';

/** Writes rows to `path` as JSON lines (one row per line), replacing the file. */
export async function writeRecoGymLogs(path: string, rows: Iterable<RecoGymLogRow>): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([error]) => {
    throw error;
  });
  const finished = (async () => {
    for (const row of rows) {
      if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  })();
  await Promise.race([finished, failed]);
}

/** `generateLogs` straight to a JSON-lines file; returns the number of rows written. */
export async function generateLogsToFile(env: RecoGymEnv, options: RecoGymLogOptions, path: string): Promise<number> {
  const rows: RecoGymLogRow[] = [];
  streamRecoGymLogs(env, options, (row) => rows.push(row));
  await writeRecoGymLogs(path, rows);
  return rows.length;
}

const NULLABLE_INT = ['v', 'a'] as const;

/** What a log is checked against besides its own fields. */
export interface RecoGymLogCheck {
  /** Products of the world the log comes from: product ids (`v`, `a`) must be below it and `psA` this long. */
  readonly numProducts?: number;
}

/**
 * Parses one JSON line into a log row, checking every field (and, with `numProducts`, that
 * product ids exist). Throws a `ConfigError` naming `source`, the line number and what was wrong.
 */
export function parseRecoGymLogLine(line: string, lineNumber: number, source = 'log', check: RecoGymLogCheck = {}): RecoGymLogRow {
  const fail = (why: string): never => {
    const excerpt = line.length > 80 ? `${line.slice(0, 77)}...` : line;
    throw new ConfigError(`${source}, line ${lineNumber}: ${why} (line: ${excerpt})`);
  };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return fail(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('expected a JSON object {t, u, z, v, a, c, ps, psA}');
  const row = value as Record<string, unknown>;
  if (typeof row.t !== 'number' || !Number.isFinite(row.t)) fail(`"t" must be a finite number, got ${JSON.stringify(row.t)}`);
  if (typeof row.u !== 'number' || !Number.isInteger(row.u) || row.u < 0) fail(`"u" must be an integer >= 0, got ${JSON.stringify(row.u)}`);
  if (row.z !== 'organic' && row.z !== 'bandit') fail(`"z" must be "organic" or "bandit", got ${JSON.stringify(row.z)}`);
  const products = check.numProducts;
  for (const key of NULLABLE_INT) {
    const v = row[key];
    if (v !== null && v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
      fail(`"${key}" must be a product id (an integer >= 0) or null, got ${JSON.stringify(v)}`);
    }
    if (products !== undefined && typeof v === 'number' && v >= products) {
      fail(`"${key}" is product ${v}, but the world has ${products} products (ids 0 to ${products - 1})`);
    }
  }
  if (row.z === 'organic' && typeof row.v !== 'number') fail(`an organic row needs a product "v", got ${JSON.stringify(row.v)}`);
  if (row.z === 'bandit') {
    if (typeof row.a !== 'number') fail(`a bandit row needs an action "a", got ${JSON.stringify(row.a)}`);
    if (row.c !== 0 && row.c !== 1) fail(`a bandit row needs a click "c" of 0 or 1, got ${JSON.stringify(row.c)}`);
    if (typeof row.ps !== 'number' || !(row.ps >= 0 && row.ps <= 1))
      fail(`"ps" must be a propensity in [0, 1], got ${JSON.stringify(row.ps)}`);
  }
  const psA = row.psA ?? null;
  if (psA !== null && (!Array.isArray(psA) || psA.some((x) => typeof x !== 'number'))) fail(`"psA" must be an array of numbers or null`);
  if (psA !== null && products !== undefined && (psA as unknown[]).length !== products) {
    fail(`"psA" has ${(psA as unknown[]).length} propensities, expected one per product (${products})`);
  }
  return {
    t: row.t as number,
    u: row.u as number,
    z: row.z as 'organic' | 'bandit',
    v: (row.v as number | null | undefined) ?? null,
    a: (row.a as number | null | undefined) ?? null,
    c: (row.c as number | null | undefined) ?? null,
    ps: (row.ps as number | null | undefined) ?? null,
    psA: psA as number[] | null,
  };
}

/** Parses a whole JSON-lines text (blank lines are skipped). */
export function parseRecoGymLogs(text: string, source = 'log', check: RecoGymLogCheck = {}): RecoGymLogRow[] {
  const rows: RecoGymLogRow[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line.length > 0) rows.push(parseRecoGymLogLine(line, i + 1, source, check));
  }
  return rows;
}

/**
 * Reads a JSON-lines log file written by `writeRecoGymLogs`; a malformed line (or, with
 * `numProducts`, an impossible product id) throws with its line number, a missing file names it.
 */
export async function readRecoGymLogs(path: string, check: RecoGymLogCheck = {}): Promise<RecoGymLogRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${error instanceof Error ? error.message : String(error)})`;
    throw new ConfigError(`RecoGym log file "${path}" ${why}.`, { cause: error });
  }
  return parseRecoGymLogs(text, path, check);
}
