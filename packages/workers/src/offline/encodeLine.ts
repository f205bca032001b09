import type { Column, ColumnSet, SampleBatch } from '@loomrl/core';
import { ROW_VECTOR_COLUMNS, rllibColumnName } from './columnNames.js';
import { encodeNdArray } from './ndArray.js';

/** How a writer lays out a batch as one JSON line. */
export interface LineEncoding {
  /** RLlib names of the columns written in the compact encoding (e.g. `obs`, `new_obs`). */
  readonly compressColumns: ReadonlySet<string>;
  /** Box actions are written one array per row (`[[a]]` even for one dimension); Discrete ones as integers. */
  readonly boxActions: boolean;
}

/** Columns of the sampler that only make sense inside one run (the env's index in a worker's vector). */
const NOT_WRITTEN: ReadonlySet<string> = new Set(['envId']);

/** The shortest decimal that reads back as the same float32 (`0.1f` → `0.1`, not `0.10000000149011612`); NaN → null. */
function float32Number(v: number): number | null {
  if (Number.isNaN(v)) return null;
  if (!Number.isFinite(v) || Number.isInteger(v)) return v;
  for (let p = 6; p < 9; p++) {
    const short = Number(v.toPrecision(p));
    if (Math.fround(short) === v) return short;
  }
  return Number(v.toPrecision(9));
}

function numbersOf(column: Column, from: number, to: number): (number | boolean | null)[] {
  const out: (number | boolean | null)[] = new Array(to - from);
  if (column instanceof Uint8Array) for (let i = from; i < to; i++) out[i - from] = column[i] === 1;
  else if (column instanceof Float32Array) for (let i = from; i < to; i++) out[i - from] = float32Number(column[i] as number);
  else for (let i = from; i < to; i++) out[i - from] = Number.isNaN(column[i] as number) ? null : (column[i] as number);
  return out;
}

/**
 * One batch as one JSON line in RLlib's SampleBatch line shape: `{"type":"SampleBatch", "obs": …, "new_obs": …,
 * "actions": …, "rewards": […], "terminateds": […], "truncateds": […], "eps_id": […], "t": […], "action_prob": […], …}`
 * with RLlib's column names. `action_prob` is added from `action_logp` when the module wrote only the latter
 * (RLlib writes both). NaN becomes `null`; ±Infinity is refused by the sampler before it gets here.
 */
export function encodeBatchLine(batch: SampleBatch<ColumnSet>, encoding: LineEncoding): string {
  const line: Record<string, unknown> = { type: 'SampleBatch' };
  const columns: Record<string, Column> = { ...batch.columns };
  const widths: Record<string, number> = { ...batch.widths };
  if (columns.actionLogp !== undefined && columns.actionProb === undefined) {
    columns.actionProb = Float32Array.from(columns.actionLogp, Math.exp);
    widths.actionProb = 1;
  }
  for (const [name, column] of Object.entries(columns)) {
    if (NOT_WRITTEN.has(name)) continue;
    const key = rllibColumnName(name);
    const width = widths[name] as number;
    if (encoding.compressColumns.has(key)) {
      line[key] = encodeNdArray(column, width === 1 && !ROW_VECTOR_COLUMNS.has(name) ? [batch.count] : [batch.count, width]);
      continue;
    }
    const perRow = ROW_VECTOR_COLUMNS.has(name) || width > 1 || (name === 'actions' && encoding.boxActions);
    if (!perRow) {
      line[key] = numbersOf(column, 0, batch.count);
      continue;
    }
    const rows = new Array(batch.count);
    for (let r = 0; r < batch.count; r++) rows[r] = numbersOf(column, r * width, (r + 1) * width);
    line[key] = rows;
  }
  return JSON.stringify(line);
}
