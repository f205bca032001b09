import { DataError } from '@loomrl/core';
import type { PackedState } from '@loomrl/workers/internal';
import { type KV, Kvm } from '@nats-io/kv';
import { type ObjectStore, Objm } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeJson, encodeJson } from './json.js';
import type { ExperimentNames } from './names.js';
import { HEADER_ROOM_BYTES, type StatePointer, type StateRef } from './protocol.js';
import { decodeState, encodeState } from './stateCodec.js';

const KEY = 'state';
/** Old state objects kept in the Object Store besides the newest (a recreated worker may still read the one before). */
const OBJECTS_KEPT = 2;

/**
 * Module state in JetStream: the KV entry `state` of the experiment's bucket holds each version
 * — the encoded tensors themselves when they fit the server's `max_payload`, else a pointer to an
 * Object Store object holding them (chunked by the Object Store). The learner writes each
 * version once; every worker reads the revision it is told.
 */
export class StateStore {
  private objects: ObjectStore | null = null;
  private published = 0;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly names: ExperimentNames,
    private readonly kv: KV,
  ) {}

  /** The learner's store: creates the buckets (file storage) when missing. */
  static async create(nc: NatsConnection, names: ExperimentNames): Promise<StateStore> {
    const kv = await new Kvm(nc).create(names.stateBucket, { history: 8, storage: 'file' });
    const store = new StateStore(nc, names, kv);
    store.objects = await new Objm(nc).create(names.objectStore, { storage: 'file' });
    return store;
  }

  /** A worker's store: opens the learner's buckets. */
  static async open(nc: NatsConnection, names: ExperimentNames): Promise<StateStore> {
    return new StateStore(nc, names, await new Kvm(nc).open(names.stateBucket));
  }

  /** Writes `state` once and returns where it is. */
  async publish(state: PackedState): Promise<StateRef> {
    const frame = encodeState(state);
    const limit = (this.nc.info?.max_payload ?? 1024 * 1024) - HEADER_ROOM_BYTES;
    if (frame.length <= limit) return { version: state.version, revision: await this.kv.put(KEY, frame) };
    const objects = this.objects ?? (await new Objm(this.nc).create(this.names.objectStore, { storage: 'file' }));
    this.objects = objects;
    this.published += 1;
    const object = `state-${this.published}`;
    // Chunks as large as a message may be: ~8× fewer messages for a reader's ordered consumer than the 128 KiB default.
    await objects.putBlob({ name: object, options: { max_chunk_size: limit } }, frame);
    const pointer: StatePointer = { version: state.version, object };
    const revision = await this.kv.put(KEY, encodeJson(pointer));
    const old = this.published - OBJECTS_KEPT;
    if (old >= 1) await objects.delete(`state-${old}`).catch(() => undefined);
    return { version: state.version, revision };
  }

  /** The state at `ref`, ready for a worker's `syncState`. */
  async read(ref: StateRef): Promise<PackedState> {
    const entry = await this.kv.get(KEY, { revision: ref.revision });
    if (entry === null || entry.value.length === 0) {
      throw new DataError(
        `module state version ${ref.version} (KV revision ${ref.revision}) is gone from bucket "${this.names.stateBucket}"`,
      );
    }
    const bytes = entry.value;
    if (bytes[0] !== '{'.charCodeAt(0)) return decodeState(bytes);
    const pointer = decodeJson<StatePointer>(bytes, 'a module state pointer');
    this.objects ??= await new Objm(this.nc).open(this.names.objectStore);
    const blob = await this.objects.getBlob(pointer.object);
    if (blob === null)
      throw new DataError(`module state version ${ref.version} (object "${pointer.object}") is gone from "${this.names.objectStore}"`);
    return decodeState(blob);
  }
}
