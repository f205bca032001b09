import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CheckpointError } from '../errors.js';

/** The metadata file that marks a directory as a LoomRL checkpoint. */
export const CHECKPOINT_METADATA_FILE = 'loomrl_checkpoint.json';
/** Format name and version written into every checkpoint. */
export const CHECKPOINT_FORMAT = { name: 'loomrl-checkpoint', version: 1 } as const;

/** Size and digest of one binary file of a checkpoint, to detect truncation or corruption. */
export interface FileDigest {
  readonly bytes: number;
  readonly sha256: string;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function writeDurably(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a checkpoint directory atomically: every file goes into a fresh sibling directory,
 * is flushed to disk, and only then does the directory replace `dir` by rename — a crash
 * mid-write never leaves a half-written checkpoint where a good one was.
 */
export async function writeCheckpointDir(
  dir: string,
  metadata: Record<string, unknown>,
  files: Readonly<Record<string, Uint8Array>>,
): Promise<string> {
  const target = resolve(dir);
  await mkdir(dirname(target), { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = join(dirname(target), `.${basename(target)}.tmp-${suffix}`);
  await mkdir(staging);
  try {
    const digests: Record<string, FileDigest> = {};
    for (const [name, data] of Object.entries(files)) {
      await writeDurably(join(staging, name), data);
      digests[name] = { bytes: data.byteLength, sha256: sha256(data) };
    }
    const body = { format: CHECKPOINT_FORMAT.name, formatVersion: CHECKPOINT_FORMAT.version, ...metadata, files: digests };
    await writeDurably(join(staging, CHECKPOINT_METADATA_FILE), `${JSON.stringify(body, null, 2)}\n`);
    const previous = join(dirname(target), `.${basename(target)}.old-${suffix}`);
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    if (exists) await rename(target, previous);
    await rename(staging, target);
    if (exists) await rm(previous, { recursive: true, force: true });
    return target;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** A checkpoint read back: its metadata and its verified binary files. */
export interface CheckpointContents {
  readonly metadata: Record<string, unknown>;
  readonly files: Readonly<Record<string, Uint8Array>>;
}

/** Reads and verifies a checkpoint directory; a missing, foreign, truncated or corrupt one is a `CheckpointError`. */
export async function readCheckpointDir(dir: string): Promise<CheckpointContents> {
  const target = resolve(dir);
  let text: string;
  try {
    text = await readFile(join(target, CHECKPOINT_METADATA_FILE), 'utf8');
  } catch (error) {
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    throw new CheckpointError(
      exists
        ? `"${target}" is not a LoomRL checkpoint: it has no ${CHECKPOINT_METADATA_FILE}.`
        : `Checkpoint directory "${target}" does not exist.`,
      { cause: error },
    );
  }
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new CheckpointError(`Checkpoint "${target}": ${CHECKPOINT_METADATA_FILE} is not valid JSON (truncated?).`, { cause: error });
  }
  if (metadata.format !== CHECKPOINT_FORMAT.name) {
    throw new CheckpointError(
      `Checkpoint "${target}": format is ${JSON.stringify(metadata.format)}, expected "${CHECKPOINT_FORMAT.name}".`,
    );
  }
  if (metadata.formatVersion !== CHECKPOINT_FORMAT.version) {
    throw new CheckpointError(
      `Checkpoint "${target}": format version ${JSON.stringify(metadata.formatVersion)} is not supported (expected ${CHECKPOINT_FORMAT.version}).`,
    );
  }
  const digests = (metadata.files ?? {}) as Record<string, FileDigest>;
  const files: Record<string, Uint8Array> = {};
  for (const [name, digest] of Object.entries(digests)) {
    let data: Uint8Array;
    try {
      data = new Uint8Array(await readFile(join(target, name)));
    } catch (error) {
      throw new CheckpointError(`Checkpoint "${target}" is incomplete: ${name} is missing.`, { cause: error });
    }
    if (data.byteLength !== digest.bytes) {
      throw new CheckpointError(`Checkpoint "${target}" is truncated: ${name} has ${data.byteLength} bytes, expected ${digest.bytes}.`);
    }
    if (sha256(data) !== digest.sha256)
      throw new CheckpointError(`Checkpoint "${target}" is corrupt: the sha256 of ${name} does not match.`);
    files[name] = data;
  }
  return { metadata, files };
}

/** The bytes of a `Float32Array` (little-endian, as every supported platform stores it). */
export function float32ToBytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

/** A `Float32Array` over a copy of `bytes`. */
export function bytesToFloat32(bytes: Uint8Array): Float32Array {
  const copy = bytes.slice();
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}
