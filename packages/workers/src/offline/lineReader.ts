import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 1 << 20;

/**
 * Reads a file line by line in 1 MiB chunks with synchronous calls, so files larger than memory
 * stream through a fixed buffer and a worker's `sample()` stays synchronous. Lines may be any
 * length (pieces are joined); `\r\n` endings are accepted.
 */
export class LineReader {
  readonly path: string;
  private fd: number | null;
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private start = 0;
  private end = 0;
  private position = 0;
  private lineNumber = 0;
  private eof = false;

  /** Opens `path` for reading. */
  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, 'r');
  }

  /** The 1-based number of the last line returned. */
  get line(): number {
    return this.lineNumber;
  }

  private fill(): boolean {
    if (this.eof || this.fd === null) return false;
    const read = readSync(this.fd, this.chunk, 0, CHUNK_BYTES, this.position);
    this.position += read;
    this.start = 0;
    this.end = read;
    if (read === 0) this.eof = true;
    return read > 0;
  }

  /** The next line without its newline, or `null` at the end of the file. */
  next(): string | null {
    const pieces: Buffer[] = [];
    for (;;) {
      if (this.start >= this.end && !this.fill()) {
        if (pieces.length === 0) return null;
        return this.finish(Buffer.concat(pieces));
      }
      const newline = this.chunk.indexOf(10, this.start);
      if (newline >= 0 && newline < this.end) {
        const piece = this.chunk.subarray(this.start, newline);
        this.start = newline + 1;
        return this.finish(pieces.length === 0 ? piece : Buffer.concat([...pieces, piece]));
      }
      // Copy: the chunk buffer is reused by the next fill.
      pieces.push(Buffer.from(this.chunk.subarray(this.start, this.end)));
      this.start = this.end;
    }
  }

  private finish(bytes: Buffer): string {
    this.lineNumber += 1;
    const length = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
    return bytes.toString('utf8', 0, length);
  }

  /** Closes the file. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
