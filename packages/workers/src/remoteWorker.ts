import { Worker } from 'node:worker_threads';
import { builtFileUrl } from '@loomrl/core';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { EvaluationReply, RemoteSample, RemoteWorkerApi, StartedInfo, WeightsMessage, WorkerInit } from './thread/protocol.js';
import { type WorkerCall, WorkerError } from './workerError.js';

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
export class RemoteWorker {
  readonly init: WorkerInit;
  private readonly thread: Worker;
  private readonly api: Comlink.Remote<RemoteWorkerApi>;
  private readonly exited: Promise<never>;
  private readonly timeouts: CallTimeouts;
  private terminated = false;

  /** Spawns the thread at once; call `start()` to build its envs. */
  constructor(init: WorkerInit, timeouts: CallTimeouts) {
    this.init = init;
    this.timeouts = timeouts;
    this.thread = new Worker(builtFileUrl(import.meta.url, './thread/entry.js'), { workerData: init, stderr: false, stdout: false });
    this.api = Comlink.wrap<RemoteWorkerApi>(nodeEndpoint(this.thread));
    this.exited = new Promise<never>((_, reject) => {
      this.thread.once('error', (error) => reject(this.failure('start', 'error', `the thread threw: ${error.message}`, error)));
      this.thread.once('exit', (code) => reject(this.failure('start', 'exit', `the thread exited with code ${code}`)));
    });
    this.exited.catch(() => undefined);
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
      cause === undefined ? undefined : { cause },
    );
  }

  private async call<T>(name: WorkerCall, timeoutMs: number, run: () => Promise<T>): Promise<T> {
    if (this.terminated) throw this.failure(name, 'exit', 'the worker was terminated');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(this.failure(name, 'timeout', `no answer within ${timeoutMs / 1000} s (workerHealthProbeTimeoutS)`)),
        timeoutMs,
      );
    });
    const answer = run().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw this.failure(name, 'error', reason, error);
    });
    try {
      return await Promise.race([answer, this.exited.catch((e: WorkerError) => Promise.reject(this.relabel(e, name))), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private relabel(error: WorkerError, call: WorkerCall): WorkerError {
    const f = error.failure;
    return new WorkerError({ ...f, call }, error.cause === undefined ? undefined : { cause: error.cause });
  }

  /** Imports the env modules and builds the envs in the thread; returns the spaces as JSON. */
  start(): Promise<StartedInfo> {
    return this.call('start', this.timeouts.startMs, () => this.api.start());
  }

  /** Sends weights: a shared buffer is posted as is, an `ArrayBuffer` is transferred. */
  setWeights(message: WeightsMessage): Promise<void> {
    const transfer = message.buffer instanceof ArrayBuffer ? [message.buffer] : [];
    return this.call('setWeights', this.timeouts.callMs, () => this.api.setWeights(Comlink.transfer(message, transfer)));
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
      await Promise.race([this.api.stop(), this.exited, new Promise((r) => setTimeout(r, 200))]).catch(() => undefined);
    }
    this.terminated = true;
    await this.thread.terminate();
  }
}
