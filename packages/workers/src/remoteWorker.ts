import { Worker } from 'node:worker_threads';
import type { ModuleId, ModuleSpec, WorkerCheckpointState } from '@loomrl/core';
import { builtFileUrl } from '@loomrl/core/internal';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { PackedState } from './stateBroadcast.js';
import type { EvaluationReply, RemoteSample, RemoteWorkerApi, StartedInfo, WorkerInit } from './thread/protocol.js';
import { reviveError, type WorkerCall, WorkerError } from './workerError.js';
import type { WorkerHandle } from './workerHandle.js';

/** How long calls may take before the worker counts as hung. */
export interface CallTimeouts {
  /** For `start()` (imports and env construction), ms. */
  readonly startMs: number;
  /** For every other call, ms (`workerHealthProbeTimeoutS`). */
  readonly callMs: number;
}

/**
 * The main thread's handle on one remote RolloutWorker thread: comlink calls raced against the
 * thread's exit and a timeout, so a crashed or hung worker rejects with a `WorkerError` instead of
 * leaving a promise pending forever.
 */
export class RemoteWorker implements WorkerHandle {
  readonly init: WorkerInit;
  private readonly thread: Worker;
  private readonly api: Comlink.Remote<RemoteWorkerApi>;
  /** Set once the thread has exited or thrown at top level; every later call fails with it. */
  private exitFailure: WorkerError | null = null;
  /** Rejecters of the calls in flight, told when the thread exits. */
  private readonly exitWatchers = new Set<(failure: WorkerError) => void>();
  private readonly timeouts: CallTimeouts;
  private terminated = false;

  /** Spawns the thread at once; call `start()` to build its envs. */
  constructor(init: WorkerInit, timeouts: CallTimeouts) {
    this.init = init;
    this.timeouts = timeouts;
    this.thread = new Worker(builtFileUrl(import.meta.url, './thread/entry.js'), { workerData: init, stderr: false, stdout: false });
    this.api = Comlink.wrap<RemoteWorkerApi>(nodeEndpoint(this.thread));
    this.thread.once('error', (error) => this.onExit(this.failure('start', 'error', `the thread threw: ${error.message}`, error)));
    this.thread.once('exit', (code) => this.onExit(this.failure('start', 'exit', `the thread exited with code ${code}`)));
  }

  /** The worker's index (1..n). */
  get index(): number {
    return this.init.workerIndex;
  }

  private failure(call: WorkerCall, kind: 'error' | 'exit' | 'timeout', reason: string, cause?: unknown): WorkerError {
    const stack = cause instanceof Error ? cause.stack : undefined;
    return new WorkerError(
      {
        role: this.init.inEvaluation ? 'evaluation worker' : 'rollout worker',
        workerIndex: this.init.workerIndex,
        envId: String(this.init.settings.env),
        call,
        kind,
        reason,
        ...(kind === 'error' && stack !== undefined ? { remoteStack: stack } : {}),
      },
      { cause },
    );
  }

  private onExit(failure: WorkerError): void {
    this.exitFailure ??= failure;
    for (const watcher of [...this.exitWatchers]) watcher(this.exitFailure);
  }

  /**
   * One call raced against the thread's exit and a timeout. Each call registers (and removes) its
   * own exit watcher: chaining every call onto one never-settling promise would keep every answer
   * — and its transferred sample buffers — reachable forever.
   */
  private call<T>(name: WorkerCall, timeoutMs: number, run: () => Promise<T>): Promise<T> {
    if (this.terminated) return Promise.reject(this.failure(name, 'exit', 'the worker was terminated'));
    if (this.exitFailure !== null) return Promise.reject(this.relabel(this.exitFailure, name));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.exitWatchers.delete(onExit);
        finish();
      };
      const onExit = (failure: WorkerError) => settle(() => reject(this.relabel(failure, name)));
      const timer = setTimeout(
        () => settle(() => reject(this.failure(name, 'timeout', `no answer within ${timeoutMs / 1000} s (workerHealthProbeTimeoutS)`))),
        timeoutMs,
      );
      this.exitWatchers.add(onExit);
      run().then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          settle(() => reject(this.failure(name, 'error', reason, reviveError(error))));
        },
      );
    });
  }

  private relabel(error: WorkerError, call: WorkerCall): WorkerError {
    const f = error.failure;
    return new WorkerError({ ...f, call }, { cause: error.cause });
  }

  /** Imports the env modules and builds the envs in the thread; returns the spaces as JSON. */
  start(): Promise<StartedInfo> {
    return this.call('start', this.timeouts.startMs, () => this.api.start());
  }

  /** Builds the worker's modules from their specs. */
  setModules(specs: Readonly<Record<ModuleId, ModuleSpec>>): Promise<void> {
    return this.call('setModules', this.timeouts.callMs, () => this.api.setModules(specs));
  }

  /** Sends module state: a shared buffer is posted as is, an `ArrayBuffer` is transferred. */
  syncState(state: PackedState): Promise<void> {
    const transfer = state.buffer instanceof ArrayBuffer ? [state.buffer] : [];
    return this.call('syncState', this.timeouts.callMs, () => this.api.syncState(Comlink.transfer(state, transfer)));
  }

  /** The worker's episode state for a checkpoint. */
  getCheckpointState(): Promise<WorkerCheckpointState> {
    return this.call('getCheckpointState', this.timeouts.callMs, () => this.api.getCheckpointState());
  }

  /** Continues the episodes of a checkpoint. */
  restoreCheckpointState(state: NonNullable<WorkerCheckpointState>): Promise<void> {
    return this.call('restoreCheckpointState', this.timeouts.callMs, () => this.api.restoreCheckpointState(state));
  }

  /** One batch of experience (typed arrays arrive transferred). */
  sample(): Promise<RemoteSample> {
    return this.call('sample', this.timeouts.callMs, () => this.api.sample());
  }

  /** Evaluation episodes. */
  evaluate(unit: 'episodes' | 'timesteps', duration: number): Promise<EvaluationReply> {
    return this.call('evaluate', this.timeouts.callMs, () => this.api.evaluate(unit, duration));
  }

  /** A health probe. */
  ping(): Promise<number> {
    return this.call('ping', this.timeouts.callMs, () => this.api.ping());
  }

  /** Closes the envs (best effort, briefly) and ends the thread. Safe to call twice. */
  async terminate(graceful = true): Promise<void> {
    if (this.terminated) return;
    if (graceful) {
      await this.call('stop', 200, () => this.api.stop()).catch(() => undefined);
    }
    this.terminated = true;
    await this.thread.terminate();
  }
}
