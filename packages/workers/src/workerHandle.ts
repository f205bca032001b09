import type { ModuleId, ModuleSpec, WorkerCheckpointState } from '@loomrl/core';
import type { CallTimeouts } from './remoteWorker.js';
import type { PackedState } from './stateBroadcast.js';
import type { EvaluationReply, RemoteSample, StartedInfo, WorkerInit } from './thread/protocol.js';

/**
 * One remote RolloutWorker as the pool drives it, wherever it runs: a worker thread
 * (`RemoteWorker`) or a `loomrl-worker` process reached over NATS (`@loomrl/nats`). Every call
 * rejects with a `WorkerError` when the worker throws, ends or stops answering in time.
 */
export interface WorkerHandle {
  /** The worker's index (1..n); env seeds and action streams derive from it. */
  readonly index: number;
  /** Imports the env and module-kind modules and builds the envs; returns the spaces as JSON. */
  start(): Promise<StartedInfo>;
  /** Builds the worker's modules from their specs. */
  setModules(specs: Readonly<Record<ModuleId, ModuleSpec>>): Promise<void>;
  /** Installs module state (a broadcast shared by every worker, or a private copy for one). */
  syncState(state: PackedState): Promise<void>;
  /** The worker's episode state for a checkpoint. */
  getCheckpointState(): Promise<WorkerCheckpointState>;
  /** Continues the episodes of a checkpoint. */
  restoreCheckpointState(state: NonNullable<WorkerCheckpointState>): Promise<void>;
  /** One batch of experience. */
  sample(): Promise<RemoteSample>;
  /** Evaluation episodes. */
  evaluate(unit: 'episodes' | 'timesteps', duration: number): Promise<EvaluationReply>;
  /** A health probe. */
  ping(): Promise<number>;
  /** Ends the worker (best effort, briefly, when `graceful`). Safe to call twice. */
  terminate(graceful?: boolean): Promise<void>;
}

/**
 * Where a pool's remote workers come from. Threads are built in; `@loomrl/nats` adds worker
 * processes on other hosts. A pool may mix transports (threads for the first indices).
 */
export interface WorkerTransport {
  /** A handle for the worker `init` describes; nothing runs until its `start()`. */
  spawn(init: WorkerInit, timeouts: CallTimeouts): WorkerHandle;
  /**
   * Whether an iteration waits for a failed worker's replacement (threads: it comes at once). A
   * transport whose replacements wait for a process to join says no: training goes on with the
   * healthy workers meanwhile, and waits only when none is left.
   */
  readonly replacementsBlock: boolean;
  /** Ends what the transport holds (connections); called once when the pool stops. */
  close(): Promise<void>;
}
