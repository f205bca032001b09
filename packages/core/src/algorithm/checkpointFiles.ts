import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { CheckpointError } from '../errors.js';

/**
 * The metadata file that marks a directory as a LoomRL checkpoint. It is also the pointer to the
 * checkpoint's data: it names the `data-<id>/` subdirectory holding this generation's binary files.
 */
export const CHECKPOINT_METADATA_FILE = 'loomrl_checkpoint.json';
/**
 * Format name and version written into every checkpoint. Version 2 holds named weight sets,
 * optimizers, arrays and random streams; version 1 (PPO's single `weights.bin`) is still read.
 */
export const CHECKPOINT_FORMAT = { name: 'loomrl-checkpoint', version: 2, readable: [1, 2] } as const;

const DATA_PREFIX = 'data-';
const POINTER_TMP_PREFIX = `.${CHECKPOINT_METADATA_FILE}.tmp-`;

/** Size, digest and place (relative to the checkpoint directory) of one binary file of a checkpoint. */
export interface FileDigest {
  readonly bytes: number;
  readonly sha256: string;
  /** Relative path; absent in checkpoints written before data subdirectories (the file then sits beside the metadata). */
  readonly path?: string;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
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

/** Flushes a directory's entries (new names, renames) to disk. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Called after each file-system step of a save; tests use it to kill the process between steps. */
type StepHook = (step: string) => void;
let stepHook: StepHook | null = null;

/** Test hook: `hook(step)` runs after every file-system step of `writeCheckpointDir` (`null` removes it). Not part of the public API. */
export function setCheckpointStepHook(hook: StepHook | null): void {
  stepHook = hook;
}

function step(name: string): void {
  stepHook?.(name);
}

/** Entries a save owns in a checkpoint directory: the metadata/pointer, its temp files and data generations. */
function isCheckpointEntry(name: string): boolean {
  return name === CHECKPOINT_METADATA_FILE || name.startsWith(POINTER_TMP_PREFIX) || name.startsWith(DATA_PREFIX);
}

async function readPointer(target: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(join(target, CHECKPOINT_METADATA_FILE), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Files the previous generation kept beside the metadata (checkpoints written before data subdirectories). */
function legacyTopLevelFiles(previous: Record<string, unknown> | null): string[] {
  const files = (previous?.files ?? {}) as Record<string, FileDigest>;
  return Object.entries(files).flatMap(([name, digest]) => (digest.path === undefined && !name.includes('/') ? [name] : []));
}

/** Staging and old directories that the earlier rename-based writer left beside `target` when it was killed. */
async function legacySiblings(target: string): Promise<string[]> {
  const prefix = `.${basename(target)}.`;
  const names = await readdir(dirname(target)).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(prefix) && /\.(tmp|old)-\d+-[0-9a-f]{8}$/.test(n)).map((n) => join(dirname(target), n));
}

/**
 * Writes a checkpoint into directory `dir` so that, whenever the process is killed, `dir` holds a
 * complete checkpoint — the previous one or the new one. The binary files go into a fresh
 * `data-<id>/` subdirectory and are flushed to disk; then the metadata, which names that
 * subdirectory, is written to a temp file, flushed, and renamed over `loomrl_checkpoint.json`
 * (an atomic replacement), and the directory is flushed. Only then are older generations and
 * leftovers of interrupted saves removed. One process should write a given `dir` at a time.
 * A non-empty `dir` that is not a checkpoint is refused rather than overwritten.
 */
export async function writeCheckpointDir(
  dir: string,
  metadata: Record<string, unknown>,
  files: Readonly<Record<string, Uint8Array>>,
): Promise<string> {
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const entries = await readdir(target);
  const previous = await readPointer(target);
  const legacy = new Set(legacyTopLevelFiles(previous));
  const foreign = entries.filter((name) => !isCheckpointEntry(name) && !legacy.has(name));
  if (foreign.length > 0) {
    throw new CheckpointError(
      `Cannot save a checkpoint into "${target}": it is a directory with other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}), not a LoomRL checkpoint. Choose an empty or new directory.`,
    );
  }
  const id = `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const dataName = `${DATA_PREFIX}${id}`;
  const dataDir = join(target, dataName);
  await mkdir(dataDir);
  step('mkdir data');
  const digests: Record<string, FileDigest> = {};
  for (const [name, data] of Object.entries(files)) {
    await writeDurably(join(dataDir, name), data);
    step(`write ${name}`);
    digests[name] = { bytes: data.byteLength, sha256: sha256(data), path: `${dataName}/${name}` };
  }
  await syncDirectory(dataDir);
  step('sync data directory');
  const body = { format: CHECKPOINT_FORMAT.name, formatVersion: CHECKPOINT_FORMAT.version, ...metadata, files: digests };
  const pointerTmp = join(target, `${POINTER_TMP_PREFIX}${id}`);
  await writeDurably(pointerTmp, `${JSON.stringify(body, null, 2)}\n`);
  step('write metadata temp file');
  await rename(pointerTmp, join(target, CHECKPOINT_METADATA_FILE));
  step('rename metadata into place');
  await syncDirectory(target);
  step('sync checkpoint directory');
  const stale = [
    ...entries.filter((name) => name !== CHECKPOINT_METADATA_FILE && name !== dataName).map((name) => join(target, name)),
    ...(await legacySiblings(target)),
  ];
  for (const path of stale) {
    await rm(path, { recursive: true, force: true });
    step(`remove ${basename(path)}`);
  }
  return target;
}

/** A checkpoint read back: its metadata and its verified binary files. */
export interface CheckpointContents {
  readonly metadata: Record<string, unknown>;
  readonly files: Readonly<Record<string, Uint8Array>>;
}

/** The path of a checkpoint file named in the metadata; a path leaving the checkpoint directory is refused. */
function filePath(target: string, name: string, digest: FileDigest): string {
  const relative = digest.path ?? name;
  const path = normalize(join(target, relative));
  if (typeof relative !== 'string' || isAbsolute(relative) || !path.startsWith(target + sep)) {
    throw new CheckpointError(
      `Checkpoint "${target}": file ${JSON.stringify(name)} has path ${JSON.stringify(relative)} outside the checkpoint.`,
    );
  }
  return path;
}

async function missingCheckpointError(target: string, cause: unknown): Promise<CheckpointError> {
  if (!(await exists(target))) {
    const leftovers = await legacySiblings(target);
    const hint =
      leftovers.length === 0
        ? ''
        : ` An interrupted save of an older LoomRL version left ${leftovers.length} checkpoint copies beside it (${leftovers.map((p) => basename(p)).join(', ')}); rename the newest complete one to "${basename(target)}".`;
    return new CheckpointError(`Checkpoint directory "${target}" does not exist.${hint}`, { cause });
  }
  const interrupted = (await readdir(target)).some((name) => name.startsWith(DATA_PREFIX));
  return new CheckpointError(
    interrupted
      ? `"${target}" holds no complete checkpoint: the first save into it was interrupted before its ${CHECKPOINT_METADATA_FILE} was written.`
      : `"${target}" is not a LoomRL checkpoint: it has no ${CHECKPOINT_METADATA_FILE}.`,
    { cause },
  );
}

/** Reads and verifies a checkpoint directory; a missing, foreign, truncated or corrupt one is a `CheckpointError`. */
export async function readCheckpointDir(dir: string): Promise<CheckpointContents> {
  const target = resolve(dir);
  let text: string;
  try {
    text = await readFile(join(target, CHECKPOINT_METADATA_FILE), 'utf8');
  } catch (error) {
    throw await missingCheckpointError(target, error);
  }
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new CheckpointError(`Checkpoint "${target}": ${CHECKPOINT_METADATA_FILE} is not valid JSON (truncated?).`, { cause: error });
  }
  if (typeof metadata !== 'object' || metadata === null || metadata.format !== CHECKPOINT_FORMAT.name) {
    throw new CheckpointError(
      `Checkpoint "${target}": format is ${JSON.stringify(metadata?.format)}, expected "${CHECKPOINT_FORMAT.name}".`,
    );
  }
  if (!(CHECKPOINT_FORMAT.readable as readonly unknown[]).includes(metadata.formatVersion)) {
    throw new CheckpointError(
      `Checkpoint "${target}": format version ${JSON.stringify(metadata.formatVersion)} is not supported (this LoomRL reads ${CHECKPOINT_FORMAT.readable.join(' and ')}).`,
    );
  }
  const digests = (metadata.files ?? {}) as Record<string, FileDigest>;
  const files: Record<string, Uint8Array> = {};
  for (const [name, digest] of Object.entries(digests)) {
    let data: Uint8Array;
    try {
      data = new Uint8Array(await readFile(filePath(target, name, digest)));
    } catch (error) {
      if (error instanceof CheckpointError) throw error;
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
