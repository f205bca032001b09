import type { PackedState, TensorSlot } from '@loomrl/workers/internal';
import { decodeFrame, encodeFrame, type FrameArray } from './frame.js';

const MAGIC = 'LRST';

interface StateMeta {
  readonly version: number;
  readonly timestep: number;
  readonly slots: readonly Omit<TensorSlot, 'offset'>[];
}

/** Module state (every named tensor of a packed broadcast) as one binary frame. */
export function encodeState(state: PackedState): Uint8Array {
  const arrays = state.slots.map((slot) =>
    slot.dtype === 'f64'
      ? new Float64Array(state.buffer, slot.offset, slot.length)
      : new Float32Array(state.buffer, slot.offset, slot.length),
  );
  const slots = state.slots.map(({ module, name, dtype, length }) => ({ module, name, dtype, length }));
  return encodeFrame(MAGIC, { version: state.version, timestep: state.timestep, slots } satisfies StateMeta, arrays);
}

/** The packed state `encodeState` wrote, over one buffer (what a worker's `syncState` takes). */
export function decodeState(bytes: Uint8Array): PackedState {
  const { meta, arrays, body } = decodeFrame<StateMeta>(bytes, MAGIC, 'module state from the learner');
  const slots = meta.slots.map((slot, i) => ({ ...slot, offset: (arrays[i] as FrameArray).byteOffset }));
  return { version: meta.version, timestep: meta.timestep, slots, buffer: body };
}
