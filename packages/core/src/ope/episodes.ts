import type { SampleBatch, TransitionColumns } from '../sampleBatch.js';

/** Row ranges `[start, end)` of the episodes in a batch: a new one wherever `epsId` changes between rows (RLlib's `split_by_episode`). */
export function episodeRanges(batch: SampleBatch<TransitionColumns>): Array<readonly [number, number]> {
  const ids = batch.columns.epsId;
  const ranges: Array<readonly [number, number]> = [];
  let start = 0;
  for (let r = 1; r <= batch.count; r++) {
    if (r === batch.count || ids[r] !== ids[r - 1]) {
      if (r > start) ranges.push([start, r]);
      start = r;
    }
  }
  return ranges;
}

/** Mean and population standard deviation (ddof 0, as numpy's `std`). */
export function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += ((values[i] as number) - mean) ** 2;
  return { mean, std: Math.sqrt(sq / n) };
}

/** Sample standard deviation (ddof 1). */
export function sampleStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const { mean } = meanAndStd(values);
  let sq = 0;
  for (let i = 0; i < n; i++) sq += ((values[i] as number) - mean) ** 2;
  return Math.sqrt(sq / (n - 1));
}

/**
 * RLlib's episode-mode metrics from per-episode values: `vBehavior`, `vBehaviorStd`, `vTarget`,
 * `vTargetStd` (means and population stds over episodes), `vGain` = vTarget / max(vBehavior, 1e-8),
 * `vDelta` = vTarget − vBehavior.
 */
export function episodeMetrics(behavior: ArrayLike<number>, target: ArrayLike<number>): Record<string, number> {
  const b = meanAndStd(behavior);
  const t = meanAndStd(target);
  return {
    vBehavior: b.mean,
    vBehaviorStd: b.std,
    vTarget: t.mean,
    vTargetStd: t.std,
    vGain: t.mean / Math.max(b.mean, 1e-8),
    vDelta: t.mean - b.mean,
  };
}

/** RLlib's (2.5+) dataset-mode metrics: `vTarget`, `vBehavior`, `vGainMean` = vTarget / vBehavior, `vGainSte` = `steNumerator / vBehavior / √N`. */
export function datasetMetrics(vTarget: number, vBehavior: number, steNumerator: number, n: number): Record<string, number> {
  return { vTarget, vBehavior, vGainMean: vTarget / vBehavior, vGainSte: steNumerator / vBehavior / Math.sqrt(n) };
}
