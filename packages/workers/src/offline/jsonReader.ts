import { DataError, type Rng, SampleBatch, type TransitionColumns } from '@loomrl/core';
import { decodeLine, type LineContext } from './decodeLine.js';
import type { InputReader } from './inputReader.js';
import { LineReader } from './lineReader.js';

/** Options of a `JsonReader`. */
export interface JsonReaderOptions {
  readonly files: readonly string[];
  /** Rows per `next()` at least (whole lines are never split): RLlib's `train_batch_size`, ÷ the remote workers. */
  readonly batchSize: number;
  /** 0 = the local worker, 1..n = remote workers: worker i starts on its own share of the files. */
  readonly workerIndex: number;
  readonly numWorkers: number;
  /** Picks the next file at the end of each (seeded, unlike RLlib's `random`). */
  readonly rng: Rng;
  readonly context: LineContext;
}

/** Python's `round` (half to even), so the first file of every worker is RLlib's. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

const MAX_EMPTY_FILES = 100;

/**
 * Reads JSON-lines sample batches (RLlib's `JsonReader`): worker i starts on file
 * `files[round((n − 1) · i / max(workers, 1))]`, reads its lines in order, and at the end of a file
 * goes on with a file drawn at random (with replacement; reading never ends). `next()` returns
 * whole lines adding up to at least `batchSize` rows. Lines stream through a fixed buffer, so files
 * larger than memory are fine. A bad line is a `DataError` naming the file and line.
 */
export class JsonReader implements InputReader {
  private readonly options: JsonReaderOptions;
  private current: LineReader | null = null;
  private syntheticEpisodes: number;
  /** Rows read past the last episode an evaluation read returned. */
  private carry: SampleBatch<TransitionColumns> | null = null;

  /** A reader over `options.files` (at least one). */
  constructor(options: JsonReaderOptions) {
    if (options.files.length === 0) throw new DataError('A JsonReader needs at least one file.');
    this.options = options;
    this.syntheticEpisodes = (options.workerIndex + 1) * 2 ** 40;
    const { files, workerIndex, numWorkers } = options;
    this.open(files[roundHalfEven(((files.length - 1) * workerIndex) / Math.max(numWorkers, 1))] as string);
  }

  private open(path: string): LineReader {
    this.current?.close();
    try {
      this.current = new LineReader(path);
    } catch (error) {
      throw new DataError(`Cannot read offline input ${path}: ${(error as Error).message}`, { cause: error });
    }
    return this.current;
  }

  /** The next non-empty line, moving to a random file at the end of each; with `endOfFile`, told when a file ended. */
  private nextLine(endOfFile?: () => void): { text: string; file: string; line: number } {
    let emptyFiles = 0;
    let sawLine = false;
    let reader = this.current as LineReader;
    for (;;) {
      const text = reader.next();
      if (text === null) {
        endOfFile?.();
        if (!sawLine) emptyFiles += 1;
        if (emptyFiles >= MAX_EMPTY_FILES)
          throw new DataError(`The offline input has no lines: ${MAX_EMPTY_FILES} files in a row were empty (${reader.path}).`);
        sawLine = false;
        const files = this.options.files;
        reader = this.open(files[this.options.rng.int(files.length)] as string);
        continue;
      }
      if (text.trim().length === 0) continue;
      sawLine = true;
      return { text, file: reader.path, line: reader.line };
    }
  }

  private readLine(endOfFile?: () => void): SampleBatch<TransitionColumns> {
    const { text, file, line } = this.nextLine(endOfFile);
    const batch = decodeLine(text, file, line, this.options.context, this.syntheticEpisodes);
    this.syntheticEpisodes += batch.count + 1;
    return batch;
  }

  next(): SampleBatch<TransitionColumns> {
    const batches: SampleBatch<TransitionColumns>[] = [];
    let rows = 0;
    while (rows < this.options.batchSize) {
      const batch = this.readLine();
      batches.push(batch);
      rows += batch.count;
    }
    return SampleBatch.concat(batches);
  }

  /**
   * Reads on until `count` episodes ended (unit `'episodes'`: a terminal or truncated row, a change
   * of episode id, or the end of a file) or `count` rows were read (`'timesteps'`), and returns
   * exactly those rows; what was read past them comes first next time. Evaluation reads this way.
   */
  read(unit: 'episodes' | 'timesteps', count: number): SampleBatch<TransitionColumns> {
    const batches: SampleBatch<TransitionColumns>[] = [];
    const epsIds: number[] = [];
    const ends: number[] = [];
    const fileEnds = new Set<number>();
    const push = (batch: SampleBatch<TransitionColumns>) => {
      batches.push(batch);
      const c = batch.columns;
      for (let r = 0; r < batch.count; r++) {
        epsIds.push(c.epsId[r] as number);
        ends.push((c.terminateds[r] as number) | (c.truncateds[r] as number));
      }
    };
    if (this.carry !== null) push(this.carry);
    this.carry = null;
    let classified = 0;
    let ended = 0;
    let cut = -1;
    // Row r ends an episode when it is terminal or truncated, the file ended after it, or the next row starts another episode.
    const classify = () => {
      while (cut < 0 && classified < epsIds.length) {
        const r = classified;
        const known = r + 1 < epsIds.length || ends[r] === 1 || fileEnds.has(r + 1);
        if (!known) return;
        classified += 1;
        if (ends[r] === 1 || fileEnds.has(r + 1) || epsIds[r + 1] !== epsIds[r]) {
          ended += 1;
          if (ended === count) cut = r + 1;
        }
      }
    };
    const check = () => {
      if (unit === 'timesteps') cut = epsIds.length >= count ? count : -1;
      else classify();
    };
    check();
    while (cut < 0) {
      push(this.readLine(() => fileEnds.add(epsIds.length)));
      check();
    }
    const all = SampleBatch.concat(batches);
    if (cut >= all.count) return all;
    // A copy: the returned rows' buffers may be transferred to another thread.
    this.carry = all.gather(Array.from({ length: all.count - cut }, (_, i) => cut + i));
    return all.slice(0, cut);
  }

  /** Closes the open file. */
  close(): void {
    this.current?.close();
    this.current = null;
  }
}

/**
 * Every line of `files`, in file order, as one batch per line (RLlib's `read_all_files`): for
 * exports, tests and tools. A bad line is a `DataError` naming the file and line.
 */
export function* readAllLines(files: readonly string[], context: LineContext): Generator<SampleBatch<TransitionColumns>> {
  let synthetic = 2 ** 50;
  for (const file of files) {
    const reader = new LineReader(file);
    try {
      for (let text = reader.next(); text !== null; text = reader.next()) {
        if (text.trim().length === 0) continue;
        const batch = decodeLine(text, file, reader.line, context, synthetic);
        synthetic += batch.count + 1;
        yield batch;
      }
    } finally {
      reader.close();
    }
  }
}
