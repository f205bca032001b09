import type { Column } from '../sampleBatch.js';
import type { SpaceJSON } from '../spaces/index.js';

/** The id of a policy's module in sample rounds and state syncs; single-agent algorithms use `'default'`. */
export type ModuleId = string;

/** The module id of a single-policy algorithm (RLlib's `default_policy`). */
export const DEFAULT_MODULE_ID: ModuleId = 'default';

/**
 * Plain-data description of an inference module: enough to build it in any thread. `kind` names a
 * registered module kind (`registerModuleKind`); `config` is the kind's own settings (JSON- and
 * structured-clone-safe), e.g. layer sizes and exploration.
 */
export interface ModuleSpec<C extends Readonly<Record<string, unknown>> = Readonly<Record<string, unknown>>> {
  readonly kind: string;
  readonly observationSpace: SpaceJSON;
  readonly actionSpace: SpaceJSON;
  readonly config: C;
}

/** Element type of a sample-batch column. */
export type ColumnDtype = 'f32' | 'f64' | 'i32' | 'u8';

/** A column a module writes beside `actions`: numbers per row and element type. */
export interface ColumnDecl {
  readonly width: number;
  readonly dtype: ColumnDtype;
}

/** A module's named state tensors (weights, per-arm matrices, …) as the learner publishes them. */
export type ModuleTensors = Readonly<Record<string, Float32Array | Float64Array>>;

/** A typed array of `length` elements of `dtype`. */
export function allocateColumn(dtype: ColumnDtype, length: number): Column {
  if (dtype === 'f64') return new Float64Array(length);
  if (dtype === 'i32') return new Int32Array(length);
  if (dtype === 'u8') return new Uint8Array(length);
  return new Float32Array(length);
}

/** The element type of a typed-array column. */
export function dtypeOf(column: Column): ColumnDtype {
  if (column instanceof Float64Array) return 'f64';
  if (column instanceof Int32Array) return 'i32';
  if (column instanceof Uint8Array) return 'u8';
  return 'f32';
}
