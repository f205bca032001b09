import { Box, type Column, DataError, Discrete, MultiDiscrete, SampleBatch, type Space, type TransitionColumns } from '@loomrl/core';
import { loomColumnName, rllibColumnName } from './columnNames.js';
import { decodeNdArray, isNdArray } from './ndArray.js';

/** What a reader checks a line against and how it maps actions (RLlib's `postprocess_actions`). */
export interface LineContext {
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  /** Our names of the columns every line must have (the algorithm's and the estimators' needs). */
  readonly requiredColumns: readonly string[];
  /** Box actions in the file are in [-1, 1] already (RLlib `actions_in_input_normalized`). */
  readonly actionsInInputNormalized: boolean;
  readonly normalizeActions: boolean;
  readonly clipActions: boolean;
}

/** A parsed column: `rows × width` numbers. */
interface RawColumn {
  readonly rows: number;
  readonly width: number;
  readonly values: Float64Array;
}

/** Keys of a line that are not columns, or are columns we never read. */
const SKIPPED_KEYS: ReadonlySet<string> = new Set(['type', 'count', 'infos', 'agent_index', 'unroll_id', 'env_id', 'seq_lens']);

/** Python's json writes NaN and ±Infinity as bare tokens (not JSON); RLlib files may hold them. */
const PYTHON_TOKENS = /([[,:]\s*)(NaN|-?Infinity)(?=\s*[\],}])/g;

function parseJSON(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    try {
      value = JSON.parse(text.replace(PYTHON_TOKENS, '$1"$2"'));
    } catch {
      const shown = text.length > 80 ? `${text.slice(0, 40)}…${text.slice(-40)}` : text;
      throw new DataError(
        `${where}: not a JSON line (${(error as Error).message}); the line is ${JSON.stringify(shown)} (truncated or corrupt?).`,
        {
          cause: error,
        },
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new DataError(`${where}: expected a JSON object per line, got ${typeof value}.`);
  return value as Record<string, unknown>;
}

function numberOf(v: unknown, where: string, key: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null || v === 'null' || v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw new DataError(`${where}: column "${key}" holds ${JSON.stringify(v)}, expected numbers or booleans.`);
}

function parseColumn(value: unknown, where: string, key: string): RawColumn {
  if (isNdArray(value)) {
    const { values, shape } = decodeNdArray(value, `${where}: column "${key}"`);
    const rows = shape[0] ?? 0;
    return { rows, width: rows === 0 ? 1 : values.length / rows, values };
  }
  if (typeof value === 'string') {
    const hint = value.startsWith('BCJNG')
      ? "it is RLlib's lz4+pickle packing, which LoomRL does not unpickle; write the data with output_compress_columns=[] (plain lists) or LoomRL's compact encoding"
      : 'expected a list or a compact {"__nd__": 1, …} column';
    throw new DataError(`${where}: column "${key}" is a string: ${hint}.`);
  }
  if (!Array.isArray(value))
    throw new DataError(`${where}: column "${key}" is ${JSON.stringify(value)}, expected a list with one entry per row.`);
  const rows = value.length;
  if (rows === 0 || !Array.isArray(value[0])) {
    const values = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const v = value[r];
      values[r] = typeof v === 'number' ? v : numberOf(v, where, key);
    }
    return { rows, width: 1, values };
  }
  const width = (value[0] as unknown[]).length;
  const values = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const row = value[r];
    if (!Array.isArray(row) || row.length !== width) {
      throw new DataError(`${where}: column "${key}" row ${r} has ${Array.isArray(row) ? row.length : 'no'} entries, row 0 has ${width}.`);
    }
    for (let j = 0; j < width; j++) {
      const v = row[j];
      values[r * width + j] = typeof v === 'number' ? v : numberOf(Array.isArray(v) ? Number.NaN : v, where, key);
    }
  }
  return { rows, width, values };
}

/** The single-policy batch of a line (a `MultiAgentBatch` with one policy is accepted, as RLlib's reader does). */
function batchObject(line: Record<string, unknown>, where: string): Record<string, unknown> {
  if (line.type === undefined) throw new DataError(`${where}: the line has no "type" key (expected "SampleBatch" or "MultiAgentBatch").`);
  if (line.type === 'SampleBatch') return line;
  if (line.type === 'MultiAgentBatch') {
    const policies = line.policy_batches as Record<string, Record<string, unknown>> | undefined;
    const ids = policies === undefined ? [] : Object.keys(policies);
    if (ids.length !== 1)
      throw new DataError(
        `${where}: a MultiAgentBatch with policies [${ids.join(', ')}]; LoomRL reads single-policy data (one policy id).`,
      );
    return policies?.[ids[0] as string] as Record<string, unknown>;
  }
  throw new DataError(`${where}: unknown type ${JSON.stringify(line.type)} (expected "SampleBatch" or "MultiAgentBatch").`);
}

function toF32(raw: RawColumn): Float32Array {
  return Float32Array.from(raw.values);
}

function toU8(raw: RawColumn): Uint8Array {
  const flags = new Uint8Array(raw.values.length);
  for (let i = 0; i < flags.length; i++) {
    const v = raw.values[i] as number;
    flags[i] = v !== 0 && !Number.isNaN(v) ? 1 : 0;
  }
  return flags;
}

/** Actions as the policy sees them: Discrete/MultiDiscrete indices checked against the space, Box actions clipped and normalised to [-1, 1] as configured. */
function policyActions(raw: RawColumn, context: LineContext, where: string): Float32Array {
  const space = context.actionSpace;
  const fail = (row: number, detail: string): never => {
    throw new DataError(`${where}: row ${row} has action ${detail}, which is not in the action space ${space.toString()}.`);
  };
  if (space instanceof Discrete) {
    if (raw.width !== 1) fail(0, `of width ${raw.width}`);
    raw.values.forEach((a, r) => {
      if (!Number.isInteger(a) || a < 0 || a >= space.n) fail(r, String(a));
    });
    return toF32(raw);
  }
  if (space instanceof MultiDiscrete) {
    const n = space.nvec.length;
    if (raw.width !== n) fail(0, `of width ${raw.width} (expected ${n})`);
    raw.values.forEach((a, i) => {
      if (!Number.isInteger(a) || a < 0 || a >= (space.nvec[i % n] as number)) fail(Math.floor(i / n), `entry ${i % n} = ${a}`);
    });
    return toF32(raw);
  }
  if (!(space instanceof Box))
    throw new DataError(
      `${where}: actions of ${space.toString()} cannot be read from JSON (flattened Tuple/Dict actions cannot be normalised).`,
    );
  const dim = space.flatDim;
  if (raw.width !== dim) fail(0, `of width ${raw.width} (expected ${dim})`);
  const out = new Float32Array(raw.values.length);
  const normalize = !context.actionsInInputNormalized && context.normalizeActions && space.isBounded();
  for (let i = 0; i < raw.values.length; i++) {
    const j = i % dim;
    const low = space.low[j] as number;
    const high = space.high[j] as number;
    let a = raw.values[i] as number;
    if (!Number.isFinite(a)) fail(Math.floor(i / dim), String(a));
    if (context.clipActions) a = Math.min(high, Math.max(low, a));
    else if (!context.actionsInInputNormalized && (a < low - 1e-6 || a > high + 1e-6)) {
      fail(Math.floor(i / dim), `[${Array.from(raw.values.subarray(i - j, i - j + dim)).join(', ')}]`);
    }
    out[i] = normalize ? (2 * (a - low)) / (high - low) - 1 : a;
  }
  return out;
}

/** Episode ids when the line has none: a new id after every terminal or truncated row (RLlib's `split_by_episode` without ids). */
function syntheticEpisodeIds(rows: number, ends: Uint8Array, first: number): Float64Array {
  const ids = new Float64Array(rows);
  let id = first;
  for (let r = 0; r < rows; r++) {
    ids[r] = id;
    if (ends[r] === 1) id += 1;
  }
  return ids;
}

/** Steps within the episode when the line has no `t`: 0, 1, … restarting at every new episode id. */
function stepsWithinEpisodes(epsId: Float64Array): Int32Array {
  const t = new Int32Array(epsId.length);
  for (let r = 1; r < epsId.length; r++) t[r] = epsId[r] === epsId[r - 1] ? (t[r - 1] as number) + 1 : 0;
  return t;
}

/** The next observations when the line has no `new_obs`: the next row's `obs` within the episode, else the row's own. */
function shiftedObs(obs: Float32Array, epsId: Float64Array, dim: number): Float32Array {
  const next = new Float32Array(obs.length);
  for (let r = 0; r < epsId.length; r++) {
    const source = r + 1 < epsId.length && epsId[r + 1] === epsId[r] ? r + 1 : r;
    next.set(obs.subarray(source * dim, (source + 1) * dim), r * dim);
  }
  return next;
}

/** Our names of the transition columns a batch is built from (`dones` is the legacy `terminateds`). */
const TRANSITION_COLUMNS = ['obs', 'nextObs', 'actions', 'rewards', 'terminateds', 'truncateds', 'dones', 'epsId', 't'];

/** The columns a line is decoded into for `context`: the transitions, the required ones, and `actionLogp` for `actionProb`. */
function wantedColumns(context: LineContext): ReadonlySet<string> {
  const logp = context.requiredColumns.includes('actionProb') ? ['actionLogp'] : [];
  return new Set([...TRANSITION_COLUMNS, ...context.requiredColumns, ...logp]);
}

/**
 * One JSON line of RLlib's SampleBatch shape (plain lists, Python's NaN/Infinity tokens, legacy
 * `dones`, LoomRL's compact columns) as a batch of our transition columns plus the required
 * ones. Every problem is a `DataError` naming `file:line`: not JSON (a truncated line), no `type`,
 * a missing required column, columns of unequal length, observations of the wrong width,
 * actions outside the space. `episodeBase` seeds synthetic episode ids for lines without `eps_id`.
 */
export function decodeLine(
  text: string,
  file: string,
  lineNumber: number,
  context: LineContext,
  episodeBase: number,
): SampleBatch<TransitionColumns> {
  const where = `${file}:${lineNumber}`;
  const data = batchObject(parseJSON(text, where), where);
  const raw: Record<string, RawColumn> = {};
  const wanted = wantedColumns(context);
  for (const [key, value] of Object.entries(data)) {
    if (SKIPPED_KEYS.has(key) || value === undefined) continue;
    const name = key === 'dones' ? 'dones' : loomColumnName(key);
    // Columns this run never reads are not decoded (RLlib's reader ignores them too): with the
    // learners on the kernels, decoding unused columns was a third of an offline BC iteration.
    if (wanted.has(name)) raw[name] = parseColumn(value, where, key);
  }
  if (raw.terminateds === undefined && raw.dones !== undefined) raw.terminateds = raw.dones;
  const missing = context.requiredColumns.filter(
    (name) => raw[name] === undefined && !(name === 'actionProb' && raw.actionLogp !== undefined),
  );
  if (missing.length > 0) {
    const present = Object.keys(data).filter((k) => k !== 'type');
    throw new DataError(
      `${where}: the line has no ${missing.map((m) => `"${rllibColumnName(m)}"`).join(', ')} column, which this run needs (it has ${present.join(', ')}).`,
    );
  }
  const obsRaw = raw.obs as RawColumn;
  const rows = obsRaw.rows;
  for (const [name, column] of Object.entries(raw)) {
    if (column.rows !== rows)
      throw new DataError(`${where}: column "${rllibColumnName(name)}" has ${column.rows} rows, "obs" has ${rows}.`);
  }
  const dim = context.observationSpace.flatDim;
  for (const name of ['obs', 'nextObs'] as const) {
    const column = raw[name];
    if (column !== undefined && column.width !== dim && rows > 0) {
      throw new DataError(
        `${where}: "${rllibColumnName(name)}" rows have ${column.width} numbers; the observation space ${context.observationSpace.toString()} flattens to ${dim}.`,
      );
    }
  }
  const zeros = new Uint8Array(rows);
  const terminateds = raw.terminateds === undefined ? zeros : toU8(raw.terminateds);
  const truncateds = raw.truncateds === undefined ? new Uint8Array(rows) : toU8(raw.truncateds);
  const epsId =
    raw.epsId?.values ??
    syntheticEpisodeIds(
      rows,
      Uint8Array.from(terminateds, (v, i) => v | (truncateds[i] as number)),
      episodeBase,
    );
  const obs = toF32(obsRaw);
  const columns: Record<string, Column> = {
    obs,
    nextObs: raw.nextObs === undefined ? shiftedObs(obs, epsId, dim) : toF32(raw.nextObs),
    actions: policyActions(raw.actions as RawColumn, context, where),
    rewards: toF32(raw.rewards as RawColumn),
    terminateds,
    truncateds,
    epsId: Float64Array.from(epsId),
    envId: new Int32Array(rows),
    t: raw.t === undefined ? stepsWithinEpisodes(epsId) : Int32Array.from(raw.t.values),
  };
  const widths: Record<string, number> = {
    obs: dim,
    nextObs: dim,
    actions: (raw.actions as RawColumn).width,
    rewards: 1,
    terminateds: 1,
    truncateds: 1,
    epsId: 1,
    envId: 1,
    t: 1,
  };
  for (const name of context.requiredColumns) {
    if (name in columns) continue;
    if (name === 'actionProb' && raw.actionProb === undefined) {
      columns.actionProb = Float32Array.from((raw.actionLogp as RawColumn).values, Math.exp);
      widths.actionProb = 1;
      continue;
    }
    const column = raw[name] as RawColumn;
    columns[name] = toF32(column);
    widths[name] = column.width;
  }
  return new SampleBatch<TransitionColumns>(rows, widths as never, columns as unknown as TransitionColumns);
}
