import type { AllSettings } from './settings.js';

/**
 * Steps per env per sample call for the worker at `workerIndex` (1-based for remote workers):
 * `'auto'` = trainBatchSize ÷ (envs × max(1, workers)), the first workers taking one step more
 * when it does not divide, so the fragments add up to trainBatchSize (RLlib's rule).
 */
export function rolloutFragmentLengthFor(
  settings: Pick<AllSettings, 'rolloutFragmentLength' | 'numRolloutWorkers' | 'numEnvsPerWorker' | 'trainBatchSize'>,
  workerIndex = 0,
): number {
  if (settings.rolloutFragmentLength !== 'auto') return settings.rolloutFragmentLength;
  const workers = Math.max(1, settings.numRolloutWorkers);
  const perEnv = settings.trainBatchSize / (settings.numEnvsPerWorker * workers);
  const base = Math.floor(perEnv);
  if (base === perEnv) return Math.max(1, base);
  const remainder = settings.trainBatchSize - base * settings.numEnvsPerWorker * workers;
  const extraWorkers = Math.floor(remainder / settings.numEnvsPerWorker);
  return Math.max(1, Math.max(1, workerIndex) <= extraWorkers ? base + 1 : base);
}
