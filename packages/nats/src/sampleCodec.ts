import type { ColumnSet, EpisodeStats, SampleBatchData, SamplerPerf } from '@loomrl/core';
import type { RemoteSample } from '@loomrl/workers/internal';
import { decodeFrame, encodeFrame, type FrameArray } from './frame.js';

const MAGIC = 'LRSB';

interface SampleMeta {
  readonly batches: Record<string, { count: number; widths: Record<string, number>; columns: string[] }>;
  readonly episodes: EpisodeStats[];
  readonly perf: SamplerPerf;
  readonly weightsVersion: number;
}

/** A worker's sample as one binary frame: every column's typed array as it is, plus the episodes' stats. */
export function encodeSample(sample: RemoteSample): Uint8Array {
  const arrays: FrameArray[] = [];
  const batches: SampleMeta['batches'] = {};
  for (const [id, batch] of Object.entries(sample.batches)) {
    const columns = Object.keys(batch.columns);
    for (const name of columns) arrays.push(batch.columns[name] as FrameArray);
    batches[id] = { count: batch.count, widths: batch.widths as Record<string, number>, columns };
  }
  const meta: SampleMeta = { batches, episodes: sample.episodes, perf: sample.perf, weightsVersion: sample.weightsVersion };
  return encodeFrame(MAGIC, meta, arrays);
}

/** The sample `encodeSample` wrote; its columns are views over one buffer. */
export function decodeSample(bytes: Uint8Array): RemoteSample {
  const { meta, arrays } = decodeFrame<SampleMeta>(bytes, MAGIC, 'a sample batch from a NATS worker');
  const batches: Record<string, SampleBatchData<ColumnSet>> = {};
  let next = 0;
  for (const [id, batch] of Object.entries(meta.batches)) {
    const columns: Record<string, FrameArray> = {};
    for (const name of batch.columns) columns[name] = arrays[next++] as FrameArray;
    batches[id] = { count: batch.count, widths: batch.widths, columns };
  }
  return { batches, episodes: meta.episodes, perf: meta.perf, weightsVersion: meta.weightsVersion };
}
