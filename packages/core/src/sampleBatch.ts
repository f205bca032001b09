import { DataError } from './errors.js';

/**
 * Column names of a `SampleBatch` (RLlib's `SampleBatch` constants, camelCased).
 * One row is one env step.
 */
export const Columns = {
  OBS: 'obs',
  NEXT_OBS: 'nextObs',
  ACTIONS: 'actions',
  REWARDS: 'rewards',
  TERMINATEDS: 'terminateds',
  TRUNCATEDS: 'truncateds',
  ACTION_LOGP: 'actionLogp',
  ACTION_PROB: 'actionProb',
  ACTION_DIST_INPUTS: 'actionDistInputs',
  VF_PREDS: 'vfPreds',
  BOOTSTRAP_VALUES: 'bootstrapValues',
  ADVANTAGES: 'advantages',
  VALUE_TARGETS: 'valueTargets',
  EPS_ID: 'epsId',
  ENV_ID: 'envId',
  T: 't',
} as const;

/** A typed-array column: `count × width` numbers, row-major. */
export type Column = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A record of typed-array columns. */
export type ColumnSet = { readonly [name: string]: Column };

/**
 * The columns every sampler writes, one row per env step (s, a, r, s′): `nextObs` (RLlib
 * `new_obs`) is the observation after the step — the episode's last observation when it ended —
 * so learners can bootstrap from it at truncations and fragment ends. Rows of one episode segment
 * are contiguous and in time order. The module that acted adds the columns it declares.
 */
export interface TransitionColumns extends ColumnSet {
  readonly obs: Float32Array;
  readonly nextObs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly terminateds: Uint8Array;
  readonly truncateds: Uint8Array;
  readonly epsId: Float64Array;
  readonly envId: Int32Array;
  readonly t: Int32Array;
}

/** Transitions acted by an actor-critic module: its log-probabilities and distribution inputs. */
export interface RolloutColumns extends TransitionColumns {
  readonly actionLogp: Float32Array;
  readonly actionDistInputs: Float32Array;
}

/**
 * Rollout columns widened by the learner's value estimates: V(s) of every row, and
 * `bootstrapValues[i]` = V(nextObs) for a row that ends a segment without terminating (a
 * time-limit truncation or the end of a fragment), 0 elsewhere.
 */
export interface ValueColumns extends RolloutColumns {
  readonly vfPreds: Float32Array;
  readonly bootstrapValues: Float32Array;
}

/** Value columns widened by advantage estimation (GAE). */
export interface AdvantageColumns extends ValueColumns {
  readonly advantages: Float32Array;
  readonly valueTargets: Float32Array;
}

/** Plain-data form of a batch: posts to another thread with its buffers transferred. */
export interface SampleBatchData<C extends ColumnSet> {
  readonly count: number;
  readonly widths: { readonly [K in keyof C]: number };
  readonly columns: C;
}

type ColumnConstructor = { new (length: number): Column; name: string };

function sameTypeArray(column: Column, length: number): Column {
  return new (column.constructor as ColumnConstructor)(length);
}

/**
 * A columnar batch of env steps: each column a typed array of `count × width` numbers.
 * Batches are immutable in shape; widen them with `withColumns` (e.g. GAE adds advantages).
 */
export class SampleBatch<C extends ColumnSet = TransitionColumns> {
  readonly count: number;
  /** Numbers per row, by column. */
  readonly widths: { readonly [K in keyof C]: number };
  readonly columns: C;

  /** Wraps columns; throws when a column's length is not `count × width`. */
  constructor(count: number, widths: { readonly [K in keyof C]: number }, columns: C) {
    for (const name of Object.keys(columns) as Array<keyof C & string>) {
      const width = widths[name];
      const column = columns[name] as Column;
      if (width === undefined) throw new DataError(`SampleBatch: column "${name}" has no width`);
      if (column.length !== count * width) {
        throw new DataError(
          `SampleBatch: column "${name}" has length ${column.length}, expected ${count} rows × ${width} = ${count * width}`,
        );
      }
    }
    this.count = count;
    this.widths = widths;
    this.columns = columns;
  }

  /** Rebuilds a batch from `toData()` output (e.g. a message from a worker thread). */
  static fromData<C extends ColumnSet>(data: SampleBatchData<C>): SampleBatch<C> {
    return new SampleBatch(data.count, data.widths, data.columns);
  }

  /** Plain data for `postMessage`; pass `transferables()` as the transfer list. */
  toData(): SampleBatchData<C> {
    return { count: this.count, widths: this.widths, columns: this.columns };
  }

  /** The column buffers, for a zero-copy `postMessage` transfer. */
  transferables(): ArrayBuffer[] {
    const buffers = new Set<ArrayBuffer>();
    for (const column of Object.values(this.columns)) buffers.add(column.buffer as ArrayBuffer);
    return [...buffers];
  }

  /** A batch with extra columns (each `count × width`). */
  withColumns<E extends ColumnSet>(widths: { readonly [K in keyof E]: number }, extra: E): SampleBatch<C & E> {
    return new SampleBatch<C & E>(
      this.count,
      { ...this.widths, ...widths } as { [K in keyof (C & E)]: number },
      { ...this.columns, ...extra } as C & E,
    );
  }

  /** Rows `[start, end)` as views (no copy). */
  slice(start: number, end: number): SampleBatch<C> {
    const columns: Record<string, Column> = {};
    for (const [name, column] of Object.entries(this.columns)) {
      const width = this.widths[name as keyof C];
      columns[name] = column.subarray(start * width, end * width);
    }
    return new SampleBatch(end - start, this.widths, columns as unknown as C);
  }

  /** A copy holding the rows at `indices`, in that order. */
  gather(indices: ArrayLike<number>): SampleBatch<C> {
    const columns: Record<string, Column> = {};
    for (const [name, column] of Object.entries(this.columns)) {
      const width = this.widths[name as keyof C];
      const out = sameTypeArray(column, indices.length * width);
      for (let r = 0; r < indices.length; r++) {
        const from = (indices[r] ?? 0) * width;
        if (width === 1) out[r] = column[from] ?? 0;
        else out.set(column.subarray(from, from + width), r * width);
      }
      columns[name] = out;
    }
    return new SampleBatch(indices.length, this.widths, columns as unknown as C);
  }

  /**
   * This batch typed with the columns `names` (which it must have): the way to read a module's
   * declared columns from a sampler's batch. A missing column is a `DataError` naming it.
   */
  requireColumns<E extends ColumnSet>(names: readonly (keyof E & string)[], what: string): SampleBatch<C & E> {
    for (const name of names) {
      if (this.columns[name] === undefined) {
        throw new DataError(`${what} needs a "${name}" column; the batch has ${Object.keys(this.columns).join(', ')}.`);
      }
    }
    return this as unknown as SampleBatch<C & E>;
  }

  /** One batch holding the rows of `batches` in order; all must have the same columns and widths. */
  static concat<C extends ColumnSet>(batches: readonly SampleBatch<C>[]): SampleBatch<C> {
    const first = batches[0];
    if (first === undefined) throw new DataError('SampleBatch.concat needs at least one batch');
    if (batches.length === 1) return first;
    const count = batches.reduce((sum, b) => sum + b.count, 0);
    const columns: Record<string, Column> = {};
    for (const [name, column] of Object.entries(first.columns)) {
      const out = sameTypeArray(column, count * first.widths[name as keyof C]);
      let offset = 0;
      for (const batch of batches) {
        const source = batch.columns[name as keyof C] as Column | undefined;
        if (source === undefined) throw new DataError(`SampleBatch.concat: a batch lacks column "${name}"`);
        out.set(source, offset);
        offset += source.length;
      }
      columns[name] = out;
    }
    return new SampleBatch(count, first.widths, columns as unknown as C);
  }
}
