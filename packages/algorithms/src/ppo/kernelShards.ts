import { PPO_STAT_NAMES, type PPOTrainData } from './learner.js';

/** Commands of PPO's learner threads. */
export const PPO_THREAD_BEGIN = 1;
export const PPO_THREAD_STEP = 2;

/** What the caller sends with `PPO_THREAD_BEGIN`: the train batch in shared memory and its widths. */
export interface SharedTrainBatch {
  readonly buffer: SharedArrayBuffer;
  readonly rows: number;
  readonly obsDim: number;
  readonly actionDim: number;
  readonly distDim: number;
}

/**
 * The shared memory of one SGD step: `scalars` = [klCoeff, rows], the minibatch's row indices, the
 * weights the caller publishes before the step, and, for each helper and shard, the gradient and loss
 * terms that helper computed for that shard (shard 0 stays in the calling thread's kernel).
 */
export interface PPOStepBuffers {
  readonly scalars: Float64Array;
  readonly indices: Int32Array;
  readonly weights: Float32Array;
  readonly shards: number;
  /** Helper `h`'s gradients of shard `k` at `[(h·shards + k)·size, …+size)`. */
  readonly grads: Float32Array;
  /** Helper `h`'s loss terms of shard `k` at `[(h·shards + k)·terms, …+terms)`, `PPO_STAT_NAMES` order. */
  readonly stats: Float64Array;
}

/** Step buffers in shared memory for `shards` shards (helpers = shards − 1), minibatches of up to `maxRows` rows and `size` weights. */
export function createStepBuffers(shards: number, maxRows: number, size: number): PPOStepBuffers {
  const slots = (shards - 1) * shards;
  const shared = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));
  return {
    scalars: new Float64Array(shared(2 * 8)),
    indices: new Int32Array(shared(maxRows * 4)),
    weights: new Float32Array(shared(size * 4)),
    shards,
    grads: new Float32Array(shared(slots * size * 4)),
    stats: new Float64Array(shared(slots * PPO_STAT_NAMES.length * 8)),
  };
}

const COLUMN_WIDTHS = (b: Omit<SharedTrainBatch, 'buffer'>) => [b.obsDim, b.actionDim, 1, b.distDim, 1, 1];

/** Floats per row of a shared train batch. */
export function sharedRowFloats(b: Omit<SharedTrainBatch, 'buffer'>): number {
  return COLUMN_WIDTHS(b).reduce((sum, w) => sum + w, 0);
}

/** Views of a shared train batch's columns as PPO's train data. */
export function trainDataOf(batch: SharedTrainBatch): PPOTrainData {
  let at = 0;
  const [obs, actions, oldLogp, oldDistInputs, advantages, valueTargets] = COLUMN_WIDTHS(batch).map((width) => {
    const view = new Float32Array(batch.buffer, at * 4, batch.rows * width);
    at += batch.rows * width;
    return view;
  }) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const { rows, obsDim, actionDim, distDim } = batch;
  return { rows, obs, obsDim, actions, actionDim, oldLogp, oldDistInputs, distDim, advantages, valueTargets };
}

/** Copies `data` into shared memory, reusing `buffer` when it is big enough. */
export function shareTrainData(data: PPOTrainData, buffer: SharedArrayBuffer | null): SharedTrainBatch {
  const shape = { rows: data.rows, obsDim: data.obsDim, actionDim: data.actionDim, distDim: data.distDim };
  const bytes = data.rows * sharedRowFloats(shape) * 4;
  const batch = {
    ...shape,
    buffer: buffer !== null && buffer.byteLength >= bytes ? buffer : new SharedArrayBuffer(Math.ceil(bytes * 1.25)),
  };
  const views = trainDataOf(batch);
  views.obs.set(data.obs.subarray(0, views.obs.length));
  views.actions.set(data.actions.subarray(0, views.actions.length));
  views.oldLogp.set(data.oldLogp.subarray(0, views.oldLogp.length));
  views.oldDistInputs.set(data.oldDistInputs.subarray(0, views.oldDistInputs.length));
  views.advantages.set(data.advantages.subarray(0, views.advantages.length));
  views.valueTargets.set(data.valueTargets.subarray(0, views.valueTargets.length));
  return batch;
}

/** Helper `helper`'s gradient and loss-term slots for shard `shard` in `buffers`. */
export function shardSlots(buffers: PPOStepBuffers, helper: number, shard: number): { grads: Float32Array; stats: Float64Array } {
  const size = buffers.weights.length;
  const terms = PPO_STAT_NAMES.length;
  const slot = helper * buffers.shards + shard;
  return {
    grads: buffers.grads.subarray(slot * size, (slot + 1) * size),
    stats: buffers.stats.subarray(slot * terms, (slot + 1) * terms),
  };
}
