import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrialRecord } from '../storage/experimentState.js';
import { TrialFiles } from '../storage/trialFiles.js';

/** Removes checkpoint dirs of `trial` newer than `iteration` and truncates its files to it. */
export async function rewindTrial(path: string, trial: TrialRecord, iteration: number): Promise<void> {
  const dir = join(path, trial.dirName);
  await new TrialFiles(dir).truncateAfter(iteration);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const match = /^checkpoint_(\d+)$/.exec(name);
    if (match !== null && Number(match[1]) > iteration) await rm(join(dir, name), { recursive: true, force: true });
    if (name.startsWith('.trash-') || name.includes('.tmp-')) await rm(join(dir, name), { recursive: true, force: true });
  }
  trial.checkpoints = trial.checkpoints.filter((c) => c.iteration <= iteration);
}
