import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ColumnSet, DataError, type SampleBatch } from '@loomrl/core';
import { encodeBatchLine, type LineEncoding } from './encodeLine.js';

/** Options of a `JsonWriter`. */
export interface JsonWriterOptions extends LineEncoding {
  /** 0 = the local worker, 1..n = remote workers (in the file names). */
  readonly workerIndex: number;
  /** Start a new file once this many characters were written to the current one (RLlib `output_max_file_size`). */
  readonly maxFileSize: number;
}

/** A local path with `~` expanded, made absolute. */
export function expandPath(path: string): string {
  return resolve(path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : path);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD_HH-MM-SS` in local time (RLlib's file-name timestamp). */
function timestamp(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}_${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`;
}

/**
 * Writes sample batches as JSON lines, as RLlib's `JsonWriter` does: one line per `write()`, files
 * `output-<YYYY-MM-DD_HH-MM-SS>_worker-<workerIndex>_<fileIndex>.json` in `dir`, a new file before
 * a write once the current one holds `maxFileSize` characters (so a file exceeds it by at most one
 * line). Each line goes to the file in one synchronous write, so every line written survives a
 * later crash of the worker. A name that exists already (a recreated worker within the same
 * second) moves on to the next file index.
 */
export class JsonWriter {
  readonly dir: string;
  private readonly options: JsonWriterOptions;
  private fd: number | null = null;
  private fileIndex = 0;
  private written = 0;
  private readonly files: string[] = [];

  /** A writer into `dir` (created when missing). */
  constructor(dir: string, options: JsonWriterOptions) {
    this.dir = expandPath(dir);
    this.options = options;
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (error) {
      throw new DataError(`offlineData({ output: ${JSON.stringify(dir)} }): cannot create the directory: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** The files written so far, in order. */
  get paths(): readonly string[] {
    return this.files;
  }

  private openNext(): number {
    this.close();
    const stamp = timestamp(new Date());
    for (;;) {
      const path = join(this.dir, `output-${stamp}_worker-${this.options.workerIndex}_${this.fileIndex}.json`);
      this.fileIndex += 1;
      try {
        this.fd = openSync(path, 'wx');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw new DataError(`offlineData({ output }): cannot create ${path}: ${(error as Error).message}`, { cause: error });
      }
      this.files.push(path);
      this.written = 0;
      return this.fd;
    }
  }

  /** Appends `batch` as one line. */
  write(batch: SampleBatch<ColumnSet>): void {
    const text = encodeBatchLine(batch, this.options);
    const fd = this.fd === null || this.written >= this.options.maxFileSize ? this.openNext() : this.fd;
    writeSync(fd, `${text}\n`);
    this.written += text.length;
  }

  /** Closes the current file. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
