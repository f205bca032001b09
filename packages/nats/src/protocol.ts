import type { ModuleId, ModuleSpec, WorkerCheckpointState } from '@loomrl/core';
import type { WorkerInit } from '@loomrl/workers/internal';
import type { PackageVersions } from './versions.js';

/** Who a worker process is; sent when it asks to join. */
export interface WorkerIdentity {
  /** Unique per process (a NUID). */
  readonly workerId: string;
  readonly host: string;
  readonly pid: number;
}

/** `join`: a worker process offers itself to the experiment's learner. */
export interface JoinRequest extends WorkerIdentity {
  readonly versions: PackageVersions;
}

/** The learner's answer to a join (or to a probe asking whether it serves the experiment). */
export type JoinReply =
  | { readonly accepted: true; readonly heartbeatIntervalS: number; readonly probeTimeoutS: number }
  | { readonly accepted: false; readonly reason: string; readonly learner: { readonly host: string; readonly pid: number } };

/** A heartbeat; the learner answers whether it still counts the worker as joined. */
export interface HeartbeatRequest {
  readonly workerId: string;
}

/** The answer to a heartbeat: `known: false` tells the worker to drop its assignment and join again. */
export interface HeartbeatReply {
  readonly known: boolean;
}

/** Where a published module state is: a revision of the state KV entry. */
export interface StateRef {
  readonly version: number;
  readonly revision: number;
}

/** What the KV entry holds when the state is in the Object Store (above `max_payload`). */
export interface StatePointer {
  readonly version: number;
  readonly object: string;
}

/** A call of the learner on one worker process (request/reply on its control subject). */
export type ControlRequest =
  | { readonly call: 'start'; readonly init: WorkerInit; readonly assignment: string }
  | { readonly call: 'setModules'; readonly specs: Readonly<Record<ModuleId, ModuleSpec>> }
  | { readonly call: 'syncState'; readonly state: StateRef }
  | { readonly call: 'sample'; readonly seq: number }
  | { readonly call: 'evaluate'; readonly unit: 'episodes' | 'timesteps'; readonly duration: number }
  | { readonly call: 'getCheckpointState' }
  | { readonly call: 'restoreCheckpointState'; readonly state: NonNullable<WorkerCheckpointState> }
  | { readonly call: 'ping' }
  | { readonly call: 'stop' };

/** An error that crossed the network as data. */
export interface RemoteErrorData {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** The worker's answer to a control call. */
export type ControlReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: RemoteErrorData };

/** Headers on every sample chunk: whose batch it is and which piece. */
export const SAMPLE_HEADERS = {
  assignment: 'Loomrl-Assignment',
  seq: 'Loomrl-Seq',
  chunk: 'Loomrl-Chunk',
  chunks: 'Loomrl-Chunks',
} as const;

/** Room left for headers when a frame is cut into chunks under the server's `max_payload`. */
export const HEADER_ROOM_BYTES = 4096;
