import { getBorderCharacters, table } from 'table';
import type { TrialRecord, TrialStatus } from '../storage/experimentState.js';

/** The metric columns of the status table and their printed names (Tune's RLlib defaults, camelCased keys). */
export const METRIC_COLUMNS: ReadonlyArray<readonly [key: string, header: string]> = [
  ['trainingIteration', 'iter'],
  ['timeTotalS', 'total time (s)'],
  ['timestepsTotal', 'ts'],
  ['episodeRewardMean', 'reward'],
];

const STATUS_ORDER: readonly TrialStatus[] = ['RUNNING', 'PENDING', 'TERMINATED', 'ERROR'];
const MAX_COLUMN = 20;

/** A number as the table prints it: integers whole, other values with at most 5 significant digits. */
export function formatCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toPrecision(5)));
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_COLUMN ? `${text.slice(0, MAX_COLUMN - 3)}...` : text;
}

/**
 * The trial table of the progress output (Tune's `CLIReporter` layout): trial name, status,
 * `loc` (the trial's process id), one column per searched parameter, then iter, total time,
 * timesteps and reward; rows grouped RUNNING, PENDING, TERMINATED, ERROR; at most `maxRows` rows.
 */
export function statusTable(trials: readonly TrialRecord[], maxRows = Number.POSITIVE_INFINITY): string {
  const params = [...new Set(trials.flatMap((t) => Object.keys(t.evaluatedParams)))];
  const metrics = METRIC_COLUMNS.filter(([key]) => trials.some((t) => t.lastResult?.[key] !== undefined));
  const header = ['Trial name', 'status', 'loc', ...params, ...metrics.map(([, name]) => name)];
  const ordered = STATUS_ORDER.flatMap((status) => trials.filter((t) => t.status === status));
  const shown = ordered.slice(0, maxRows);
  const rows = shown.map((t) => [
    t.trialName,
    t.status,
    t.pid === null ? '' : `pid=${t.pid}`,
    ...params.map((p) => formatCell(t.evaluatedParams[p])),
    ...metrics.map(([key]) => formatCell(t.lastResult?.[key])),
  ]);
  const text = table([header, ...rows], {
    border: getBorderCharacters('ramac'),
    drawHorizontalLine: (index, size) => index === 0 || index === 1 || index === size,
    columnDefault: { paddingLeft: 1, paddingRight: 1 },
  });
  const hidden = ordered.length - shown.length;
  return hidden > 0 ? `${text}... ${hidden} more trials not shown\n` : text;
}

/** `Number of trials: 4/8 (1 PENDING, 3 RUNNING)`. */
export function trialCountLine(trials: readonly TrialRecord[]): string {
  const counts = STATUS_ORDER.map((s) => [s, trials.filter((t) => t.status === s).length] as const).filter(([, n]) => n > 0);
  return `Number of trials: ${trials.length} (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})`;
}
