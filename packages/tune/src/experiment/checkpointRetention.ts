import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CheckpointRecord } from '../storage/experimentState.js';
import { resultKeyFromRLlib } from './flatten.js';

/** How kept checkpoints are ranked: by a result key, ascending with a `min-` prefix (Tune's `checkpoint_score_attr`). */
export interface CheckpointScore {
  readonly attr: string;
  readonly ascending: boolean;
}

/** Parses `checkpointScoreAttr` (`null` = by recency, i.e. `trainingIteration`). */
export function parseScoreAttr(attr: string | null | undefined): CheckpointScore {
  if (attr === null || attr === undefined) return { attr: 'trainingIteration', ascending: false };
  const ascending = attr.startsWith('min-');
  return { attr: resultKeyFromRLlib(ascending ? attr.slice(4) : attr), ascending };
}

/** A checkpoint's score, higher is better; NaN and missing values rank last. */
export function scoreOf(record: CheckpointRecord, score: CheckpointScore): number {
  const value = record.metrics[score.attr];
  if (typeof value !== 'number' || Number.isNaN(value)) return Number.NEGATIVE_INFINITY;
  return score.ascending ? -value : value;
}

/**
 * The checkpoints to delete so that at most `keep` remain, ranked by `score`; the newest one is
 * always kept (a resumed trial continues from it) and is deleted once a newer one replaces it.
 */
export function checkpointsToDelete(records: readonly CheckpointRecord[], keep: number | null, score: CheckpointScore): CheckpointRecord[] {
  if (keep === null || records.length <= keep) return [];
  const newest = records.reduce((a, b) => (b.iteration > a.iteration ? b : a));
  const ranked = [...records].sort((a, b) => scoreOf(b, score) - scoreOf(a, score) || b.iteration - a.iteration);
  const kept = new Set(ranked.slice(0, keep));
  kept.add(newest);
  return records.filter((r) => !kept.has(r));
}

/** Deletes a checkpoint dir atomically: renamed to `.trash-<name>` first, then removed. */
export async function deleteCheckpointDir(path: string): Promise<void> {
  const trash = join(dirname(path), `.trash-${basename(path)}`);
  try {
    await rename(path, trash);
  } catch {
    return;
  }
  await rm(trash, { recursive: true, force: true });
}
