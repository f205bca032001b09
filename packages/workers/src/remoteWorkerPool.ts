import { AlgorithmError, type AllSettings, type Logger, type ModuleId, type ModuleSpec } from '@loomrl/core';
import type { StateBroadcast } from './stateBroadcast.js';
import type { StartedInfo, WorkerInit } from './thread/protocol.js';
import { threadTransport } from './threadTransport.js';
import { WorkerError } from './workerError.js';
import type { WorkerHandle, WorkerTransport } from './workerHandle.js';

interface Slot {
  readonly index: number;
  readonly transport: WorkerTransport;
  worker: WorkerHandle | null;
  restarting: Promise<void> | null;
}

/** A worker's answer to one call. */
export interface WorkerReply<T> {
  readonly index: number;
  readonly value: T;
}

/** What the pool needs besides the settings. */
export interface PoolOptions {
  readonly inEvaluation: boolean;
  readonly logger: Logger;
  /** Resolved `rolloutFragmentLength` of worker `index`. */
  readonly fragmentLength: (index: number) => number;
  /** The newest module state, sent to every recreated worker. */
  readonly state: StateBroadcast;
  /** The module specs the workers act with (null before the learner set them), sent to every recreated worker. */
  readonly specs: () => Readonly<Record<ModuleId, ModuleSpec>> | null;
  /** Our names of the columns every line of offline input must have. */
  readonly requiredInputColumns?: readonly string[];
  /** Where worker `index` runs; default: a thread of this process. */
  readonly transportFor?: (index: number) => WorkerTransport;
}

const MIN_START_TIMEOUT_MS = 30_000;

/**
 * The remote RolloutWorkers of a WorkerSet — threads, or processes on other hosts through a
 * transport — with RLlib's fault tolerance. A worker that throws, exits or times out is terminated, then:
 * - with `recreateFailedWorkers`, replaced by a new thread of the same index (after
 *   `delayBetweenWorkerRestartsS`, with the current weights), up to `maxNumWorkerRestarts`
 *   restarts in all; once they are used up, a `WorkerError` with code `WORKER_RESTARTS_EXHAUSTED`
 *   (or, with `ignoreWorkerFailures` too, the worker is dropped);
 * - else with `ignoreWorkerFailures`, dropped: training goes on with the healthy workers (and
 *   `numHealthyWorkers` says so) until none is left (`NO_HEALTHY_WORKERS`);
 * - else the failure is rethrown and the pool is failed: every later call rethrows it.
 */
export class RemoteWorkerPool {
  private readonly settings: AllSettings;
  private readonly options: PoolOptions;
  private readonly slots: Slot[];
  private readonly abort = new AbortController();
  private numRestarts = 0;
  private fatal: Error | null = null;
  private lastFailure: unknown = null;

  /** Spawns `numRolloutWorkers` workers at once; `start()` builds their envs. */
  constructor(settings: AllSettings, options: PoolOptions) {
    this.settings = settings;
    this.options = options;
    const transportFor = options.transportFor ?? (() => threadTransport);
    this.slots = Array.from({ length: settings.numRolloutWorkers }, (_, i) => {
      const transport = transportFor(i + 1);
      return { index: i + 1, transport, worker: this.spawn(transport, i + 1, false), restarting: null };
    });
  }

  private spawn(transport: WorkerTransport, index: number, recreated: boolean): WorkerHandle {
    const s = this.settings;
    const init: WorkerInit = {
      settings: s,
      workerIndex: index,
      numWorkers: s.numRolloutWorkers,
      inEvaluation: this.options.inEvaluation,
      recreated,
      fragmentLength: this.options.fragmentLength(index),
      requiredInputColumns: this.options.requiredInputColumns ?? [],
    };
    const callMs = s.workerHealthProbeTimeoutS * 1000;
    return transport.spawn(init, { callMs, startMs: Math.max(callMs, MIN_START_TIMEOUT_MS) });
  }

  /** Builds every worker's envs; rejects with the lowest-index failure (start-up failures are never retried). */
  async start(): Promise<StartedInfo> {
    const replies = await Promise.allSettled(this.slots.map((slot) => (slot.worker as WorkerHandle).start()));
    const failed = replies.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      await this.stop();
      throw failed.reason;
    }
    return (replies[0] as PromiseFulfilledResult<StartedInfo>).value;
  }

  /** Remote workers answering calls now. */
  get numHealthy(): number {
    return this.slots.filter((slot) => slot.worker !== null).length;
  }

  /** Workers recreated so far. */
  get restarts(): number {
    return this.numRestarts;
  }

  /**
   * Waits for recreations under way, so the next call sees the full worker count (only for
   * transports whose replacements come at once, unless no worker is healthy); rethrows a fatal failure.
   */
  async settle(): Promise<void> {
    const waitForAll = this.numHealthy === 0;
    await Promise.all(this.slots.map((slot) => (waitForAll || slot.transport.replacementsBlock ? slot.restarting : null)));
    this.assertRunning();
    if (this.fatal !== null) throw this.fatal;
    if (this.numHealthy === 0) {
      throw this.failWith(this.lastFailure, 'NO_HEALTHY_WORKERS', 'No healthy workers are left.');
    }
  }

  /**
   * Runs `call` on every healthy worker (or the ones `shares` gives work) in parallel; returns the
   * answers in worker-index order. Failed workers are handled (replaced or rethrown) and left out.
   */
  async run<T>(call: (worker: WorkerHandle, position: number) => Promise<T> | null): Promise<WorkerReply<T>[]> {
    this.assertRunning();
    if (this.fatal !== null) throw this.fatal;
    const healthy = this.slots.filter((slot) => slot.worker !== null);
    const pending = healthy.map((slot, position) => {
      const started = call(slot.worker as WorkerHandle, position);
      return started === null ? null : started.then((value) => ({ index: slot.index, value }));
    });
    const settled = await Promise.allSettled(pending.map((p) => p ?? Promise.resolve(null)));
    const replies: WorkerReply<T>[] = [];
    let firstFatal: unknown = null;
    settled.forEach((outcome, i) => {
      const slot = healthy[i] as Slot;
      if (outcome.status === 'fulfilled') {
        if (outcome.value !== null) replies.push(outcome.value);
        return;
      }
      try {
        this.fail(slot, outcome.reason);
      } catch (error) {
        firstFatal ??= error;
      }
    });
    if (firstFatal !== null) throw firstFatal;
    return replies;
  }

  /** Throws once `stop()` was called: no call may then wait for workers that will never answer. */
  private assertRunning(): void {
    if (this.abort.signal.aborted) {
      throw new AlgorithmError(
        'ALGORITHM_STOPPED',
        'The remote workers were stopped (stop() was called) while a call to them was under way.',
      );
    }
  }

  /** Workers that are healthy now, in index order. */
  healthyWorkers(): WorkerHandle[] {
    return this.slots.flatMap((slot) => (slot.worker === null ? [] : [slot.worker]));
  }

  private fail(slot: Slot, error: unknown): void {
    this.lastFailure = error;
    const worker = slot.worker;
    slot.worker = null;
    void worker?.terminate(false);
    if (this.abort.signal.aborted) return;
    const s = this.settings;
    this.options.logger.warn({ workerIndex: slot.index, err: error }, 'remote worker failed');
    if (s.recreateFailedWorkers && this.numRestarts < s.maxNumWorkerRestarts) {
      this.numRestarts += 1;
      slot.restarting = this.recreate(slot).finally(() => {
        slot.restarting = null;
      });
      return;
    }
    if (s.ignoreWorkerFailures) {
      this.options.logger.warn(
        { workerIndex: slot.index },
        'remote worker dropped (ignoreWorkerFailures); training goes on with the others',
      );
      if (this.slots.every((other) => other.worker === null && (other === slot || other.restarting === null))) {
        throw this.failWith(
          error,
          'NO_HEALTHY_WORKERS',
          'No healthy workers are left: faultTolerance({ ignoreWorkerFailures: true }) dropped every one.',
        );
      }
      return;
    }
    if (s.recreateFailedWorkers) {
      throw this.failWith(
        error,
        'WORKER_RESTARTS_EXHAUSTED',
        `faultTolerance({ maxNumWorkerRestarts: ${s.maxNumWorkerRestarts} }) is used up (${this.numRestarts} restarts).`,
      );
    }
    throw this.failWith(error);
  }

  /** Marks the pool failed with `error` (as a `WorkerError` of `code`) and returns that error. */
  private failWith(error: unknown, code?: 'WORKER_RESTARTS_EXHAUSTED' | 'NO_HEALTHY_WORKERS', note?: string): Error {
    let fatal: Error;
    if (code !== undefined && error instanceof WorkerError) {
      fatal = new WorkerError(error.failure, { cause: error.cause ?? error, code, ...(note === undefined ? {} : { note }) });
    } else {
      fatal = error instanceof Error ? error : new Error(String(error));
    }
    this.fatal ??= fatal;
    return fatal;
  }

  private async recreate(slot: Slot): Promise<void> {
    await sleep(this.settings.delayBetweenWorkerRestartsS * 1000, this.abort.signal);
    if (this.abort.signal.aborted) return;
    const worker = this.spawn(slot.transport, slot.index, true);
    try {
      await worker.start();
      const specs = this.options.specs();
      if (specs !== null) await worker.setModules(specs);
      let sent = -1;
      for (let message = this.options.state.copyForOne(); message !== null && message.version !== sent; ) {
        await worker.syncState(message);
        sent = message.version;
        message = this.options.state.copyForOne();
      }
    } catch (error) {
      await worker.terminate(false);
      this.options.logger.error({ workerIndex: slot.index, err: error }, 'recreating the worker failed');
      try {
        this.fail(slot, error);
      } catch {
        // fail() recorded the fatal error; the next call rethrows it.
      }
      return;
    }
    if (this.abort.signal.aborted) {
      await worker.terminate(false);
      return;
    }
    slot.worker = worker;
    this.options.logger.info({ workerIndex: slot.index, restarts: this.numRestarts }, 'remote worker recreated');
  }

  /** Ends every worker, closes the transports (which ends recreations waiting on them) and waits for recreations under way. */
  async stop(): Promise<void> {
    this.abort.abort();
    const workers = this.slots.flatMap((slot) => (slot.worker === null ? [] : [slot.worker]));
    for (const slot of this.slots) slot.worker = null;
    await Promise.all(workers.map((w) => w.terminate()));
    await Promise.allSettled([...new Set(this.slots.map((slot) => slot.transport))].map((t) => t.close()));
    await Promise.allSettled(this.slots.map((slot) => slot.restarting));
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
