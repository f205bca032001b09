import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FlatResult, flattenResult } from '../experiment/flatten.js';
import { parseTolerant, stringifyFinite, stringifySorted, writeAtomic } from './jsonFiles.js';

/** File names inside a trial dir (Tune's). */
export const TRIAL_FILES = { params: 'params.json', results: 'result.json', progress: 'progress.csv', error: 'error.txt' } as const;

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : String(value);
  const text = typeof value === 'string' ? value : stringifyFinite(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The files of one trial: `params.json` (the resolved config, keys sorted), `result.json` (one
 * JSON object per line, NaN written as `null`), `progress.csv` (results without `config`,
 * flattened; the header is the key set of the first row, as in Tune) and `error.txt`.
 */
export class TrialFiles {
  readonly dir: string;
  private header: string[] | null = null;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Writes `params.json`. */
  async writeParams(config: Record<string, unknown>): Promise<void> {
    await writeAtomic(join(this.dir, TRIAL_FILES.params), `${stringifySorted(config)}\n`);
  }

  /** Appends one result to `result.json` and `progress.csv`. */
  async appendResult(result: Record<string, unknown>): Promise<void> {
    await appendFile(join(this.dir, TRIAL_FILES.results), `${stringifyFinite(result)}\n`);
    const { config: _config, ...rest } = result;
    const flat = flattenResult(rest);
    const csvPath = join(this.dir, TRIAL_FILES.progress);
    if (this.header === null) this.header = await this.readHeader();
    if (this.header === null) {
      this.header = Object.keys(flat);
      await writeFile(csvPath, `${this.header.map(csvCell).join(',')}\n`);
    }
    await appendFile(csvPath, `${this.header.map((k) => csvCell(flat[k])).join(',')}\n`);
  }

  private async readHeader(): Promise<string[] | null> {
    try {
      const text = await readFile(join(this.dir, TRIAL_FILES.progress), 'utf8');
      const first = text.split('\n', 1)[0] ?? '';
      return first.length === 0 ? null : parseCsvLine(first);
    } catch {
      return null;
    }
  }

  /** Appends `Failure # n (occurred at <date>)` and the error text to `error.txt`. */
  async appendError(failureNumber: number, text: string): Promise<void> {
    await appendFile(
      join(this.dir, TRIAL_FILES.error),
      `Failure # ${failureNumber} (occurred at ${new Date().toISOString()})\n${text}\n\n`,
    );
  }

  /**
   * Drops every row after `iteration` from `result.json` and `progress.csv` (a resumed trial
   * continues from its checkpoint, so its history holds each iteration once).
   */
  async truncateAfter(iteration: number): Promise<void> {
    const resultsPath = join(this.dir, TRIAL_FILES.results);
    const kept = (await readResultLines(this.dir)).filter((r) => Number(r.trainingIteration) <= iteration);
    await writeAtomic(resultsPath, kept.map((r) => `${stringifyFinite(r)}\n`).join(''));
    let text: string;
    try {
      text = await readFile(join(this.dir, TRIAL_FILES.progress), 'utf8');
    } catch {
      return;
    }
    const lines = text.split('\n').filter((l) => l.length > 0);
    const header = parseCsvLine(lines[0] ?? '');
    const column = header.indexOf('trainingIteration');
    const rows = lines.slice(1).filter((line) => column < 0 || Number(parseCsvLine(line)[column]) <= iteration);
    await writeAtomic(join(this.dir, TRIAL_FILES.progress), lines.length === 0 ? '' : `${[lines[0], ...rows].join('\n')}\n`);
    this.header = null;
  }
}

/** Splits one CSV line (RFC 4180 quoting). */
export function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

/** The nested results in a trial dir's `result.json` (LoomRL's or Ray's); `[]` when there is none. */
export async function readResultLines(dir: string): Promise<Array<Record<string, unknown>>> {
  let text: string;
  try {
    text = await readFile(join(dir, TRIAL_FILES.results), 'utf8');
  } catch {
    return [];
  }
  const rows: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    if (line.trim().length === 0) continue;
    try {
      rows.push(parseTolerant(line) as Record<string, unknown>);
    } catch {
      // A line cut by a crash mid-write is skipped; every complete line is kept.
    }
  }
  return rows;
}

/** The flattened history of a trial dir: `result.json` rows (without `config`), else `progress.csv`. */
export async function readTrialHistory(dir: string): Promise<FlatResult[]> {
  const rows = await readResultLines(dir);
  if (rows.length > 0) return rows.map(({ config: _c, ...rest }) => flattenResult(rest));
  let text: string;
  try {
    text = await readFile(join(dir, TRIAL_FILES.progress), 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  const header = parseCsvLine(lines[0] ?? '');
  return lines.slice(1).map((line) => {
    const cells = parseCsvLine(line);
    const row: FlatResult = {};
    header.forEach((key, i) => {
      const cell = cells[i] ?? '';
      const n = Number(cell);
      row[key] = cell === '' ? null : cell === 'nan' ? Number.NaN : Number.isNaN(n) ? cell : n;
    });
    return row;
  });
}
