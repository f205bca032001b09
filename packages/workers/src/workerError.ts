import { ActionError, CheckpointError, ConfigError, DataError, EnvError, LearnerError, LoomError, type LoomErrorCode } from '@loomrl/core';

/** The codes a `WorkerError` carries. */
export type WorkerErrorCode = Extract<LoomErrorCode, 'WORKER_FAILED' | 'WORKER_RESTARTS_EXHAUSTED' | 'NO_HEALTHY_WORKERS'>;

/** What a worker was doing when it failed. */
export type WorkerCall =
  | 'start'
  | 'setModules'
  | 'syncState'
  | 'sample'
  | 'evaluate'
  | 'getCheckpointState'
  | 'restoreCheckpointState'
  | 'ping'
  | 'stop';

/** Facts about a worker failure, for the error message and for programs. */
export interface WorkerFailure {
  readonly role: 'rollout worker' | 'evaluation worker';
  readonly workerIndex: number;
  readonly envId: string;
  readonly call: WorkerCall;
  /** `'error'` = the call threw; `'exit'` = the thread ended; `'timeout'` = no answer in time. */
  readonly kind: 'error' | 'exit' | 'timeout';
  readonly reason: string;
  /** The stack as the worker thread recorded it, when the call threw. */
  readonly remoteStack?: string;
  /** Where a worker process runs (`host pid`), for workers outside this process (NATS). */
  readonly host?: string;
}

/**
 * A rollout or evaluation worker that threw, whose thread exited, or that stopped answering. The
 * message names the worker index, the env id, the call and the cause, followed by the thread's
 * original stack; `cause` is the original error, of its original `LoomError` class when it was
 * one (also across threads). `code` is `WORKER_FAILED`, or `WORKER_RESTARTS_EXHAUSTED` when
 * `faultTolerance({ maxNumWorkerRestarts })` is used up, or `NO_HEALTHY_WORKERS` when
 * `ignoreWorkerFailures` has dropped every worker.
 */
export class WorkerError extends LoomError {
  /** The facts the message is built from. */
  readonly failure: WorkerFailure;
  constructor(failure: WorkerFailure, options?: { cause?: unknown; code?: WorkerErrorCode; note?: string }) {
    const where = failure.host === undefined ? `worker thread ${failure.workerIndex}` : `worker ${failure.workerIndex} on ${failure.host}`;
    const stack = failure.remoteStack === undefined ? '' : `\n--- original stack (${where}) ---\n${failure.remoteStack}`;
    const note = options?.note === undefined ? '' : ` ${options.note}`;
    const on = failure.host === undefined ? '' : ` on ${failure.host}`;
    super(
      options?.code ?? 'WORKER_FAILED',
      `${failure.role} ${failure.workerIndex}${on} (env "${failure.envId}") failed in ${failure.call}(): ${failure.reason}${note}${stack}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.failure = failure;
  }
}

type LoomErrorClass = new (message: string, options?: { cause?: unknown }) => LoomError;
const REVIVABLE: Readonly<Record<string, LoomErrorClass>> = {
  ConfigError,
  EnvError,
  ActionError,
  DataError,
  CheckpointError,
  LearnerError,
};

/**
 * Gives an error that crossed a thread boundary its `LoomError` class back: comlink delivers a
 * plain `Error` that keeps only `name`, `message` and `stack`. Other errors pass through.
 */
export function reviveError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof LoomError) return error;
  const revived = REVIVABLE[error.name];
  if (revived === undefined) return error;
  const copy = new revived(error.message);
  if (error.stack !== undefined) copy.stack = error.stack;
  return copy;
}
