import type { ModuleStateMessage, ModuleTensors } from '@loomrl/core';

/** Where one tensor sits in a broadcast buffer. */
export interface TensorSlot {
  readonly module: string;
  readonly name: string;
  readonly dtype: 'f32' | 'f64';
  /** Byte offset (8-aligned). */
  readonly offset: number;
  readonly length: number;
}

/** Module state as it crosses to a worker thread: every tensor in one buffer, described by `slots`. */
export interface PackedState {
  readonly version: number;
  readonly timestep: number;
  readonly slots: readonly TensorSlot[];
  /** Shared (one broadcast for every worker) or a private copy (transferred to one worker). */
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
}

function layout(state: ModuleStateMessage): { slots: TensorSlot[]; bytes: number } {
  const slots: TensorSlot[] = [];
  let bytes = 0;
  for (const [module, tensors] of Object.entries(state.modules)) {
    for (const [name, tensor] of Object.entries(tensors)) {
      const dtype = tensor instanceof Float64Array ? 'f64' : 'f32';
      slots.push({ module, name, dtype, offset: bytes, length: tensor.length });
      bytes += Math.ceil((tensor.length * tensor.BYTES_PER_ELEMENT) / 8) * 8;
    }
  }
  return { slots, bytes };
}

function write(state: ModuleStateMessage, slots: readonly TensorSlot[], buffer: SharedArrayBuffer | ArrayBuffer): void {
  for (const slot of slots) {
    const tensor = state.modules[slot.module]?.[slot.name] as Float32Array | Float64Array;
    const view =
      slot.dtype === 'f64' ? new Float64Array(buffer, slot.offset, slot.length) : new Float32Array(buffer, slot.offset, slot.length);
    view.set(tensor);
  }
}

/** The named tensors of a packed state, as views over its buffer (modules copy what they keep). */
export function unpackState(packed: PackedState): ModuleStateMessage {
  const modules: Record<string, Record<string, Float32Array | Float64Array>> = {};
  for (const slot of packed.slots) {
    const view =
      slot.dtype === 'f64'
        ? new Float64Array(packed.buffer, slot.offset, slot.length)
        : new Float32Array(packed.buffer, slot.offset, slot.length);
    const tensors = modules[slot.module] ?? {};
    tensors[slot.name] = view;
    modules[slot.module] = tensors;
  }
  return { version: packed.version, timestep: packed.timestep, modules: modules as Record<string, ModuleTensors> };
}

/**
 * The newest module state in one `SharedArrayBuffer`: a broadcast writes every tensor once and
 * posts the same buffer to every worker, which copies what it needs into its modules. Callers
 * await every worker's sync before the next broadcast, so a worker never reads a half-written buffer.
 */
export class StateBroadcast {
  private shared: SharedArrayBuffer | null = null;
  private latest: ModuleStateMessage | null = null;

  /** Stores `state` and returns the message every healthy worker gets. */
  publish(state: ModuleStateMessage): PackedState {
    const { slots, bytes } = layout(state);
    if (this.shared === null || this.shared.byteLength !== bytes) this.shared = new SharedArrayBuffer(bytes);
    write(state, slots, this.shared);
    const packed = { version: state.version, timestep: state.timestep, slots, buffer: this.shared };
    // Views over the shared buffer: the caller may reuse its arrays after publishing.
    this.latest = unpackState(packed);
    return packed;
  }

  /** The newest version published (-1 before the first). */
  get version(): number {
    return this.latest?.version ?? -1;
  }

  /** A private copy of the newest state for one (re)started worker, to transfer; null before the first publish. */
  copyForOne(): PackedState | null {
    if (this.latest === null) return null;
    const { slots, bytes } = layout(this.latest);
    const buffer = new ArrayBuffer(bytes);
    write(this.latest, slots, buffer);
    return { version: this.latest.version, timestep: this.latest.timestep, slots, buffer };
  }
}
