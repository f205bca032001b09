import { LoomError } from '@loomrl/core';

/** What a worker was doing when it failed. */
export type WorkerCall = 'start' | 'setWeights' | 'sample' | 'evaluate' | 'ping' | 'stop';

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
}

/**
 * A remote worker that threw, whose thread exited, or that stopped answering. The message names
 * the worker index, the env id, the call and the cause, followed by the thread's original stack.
 */
export class WorkerError extends LoomError {
  /** The facts the message is built from. */
  readonly failure: WorkerFailure;
  constructor(failure: WorkerFailure, options?: { cause?: unknown }) {
    const stack =
      failure.remoteStack === undefined ? '' : `\n--- original stack (worker thread ${failure.workerIndex}) ---\n${failure.remoteStack}`;
    super(
      'WORKER_FAILED',
      `${failure.role} ${failure.workerIndex} (env "${failure.envId}") failed in ${failure.call}(): ${failure.reason}${stack}`,
      options,
    );
    this.failure = failure;
  }
}
