import type { ModuleId, ModuleSpec, WorkerCheckpointState } from '@loomrl/core';
import { WorkerError } from '@loomrl/workers';
import {
  type CallTimeouts,
  type EvaluationReply,
  type PackedState,
  type RemoteSample,
  reviveError,
  type StartedInfo,
  type WorkerCall,
  type WorkerHandle,
  type WorkerInit,
} from '@loomrl/workers/internal';
import { NoRespondersError, RequestError, TimeoutError } from '@nats-io/transport-node';
import { decodeJson, encodeJson } from '../json.js';
import type { ControlReply, ControlRequest, RemoteErrorData } from '../protocol.js';
import type { NatsTransport } from './natsTransport.js';
import type { Member } from './workerRegistry.js';

/** The error a remote call sent back, as an `Error` of its original `LoomError` class when it was one. */
function remoteError(data: RemoteErrorData): unknown {
  const error = new Error(data.message);
  error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  return reviveError(error);
}

function isNoResponders(error: unknown): boolean {
  return error instanceof NoRespondersError || (error instanceof RequestError && error.isNoResponders());
}

/**
 * The learner's handle on one NATS slot: `start()` takes a joined `loomrl-worker` process
 * (waiting `joinTimeoutS` for one, or for ever when replacing a failed worker) and hands it the
 * slot's assignment — the same `WorkerInit` a thread gets, so env seeds and action streams follow
 * the worker index, not the host. Calls are requests on the process's control subject; samples
 * come through the stream. A call fails with a `WorkerError` naming the host when the process
 * throws, is gone, does not answer within `workerHealthProbeTimeoutS`, or stops sending heartbeats.
 */
export class NatsWorker implements WorkerHandle {
  readonly init: WorkerInit;
  private readonly transport: NatsTransport;
  private readonly timeouts: CallTimeouts;
  private readonly assignment: string;
  private member: Member | null = null;
  private seq = 0;
  private terminated = false;

  constructor(transport: NatsTransport, init: WorkerInit, timeouts: CallTimeouts) {
    this.transport = transport;
    this.init = init;
    this.timeouts = timeouts;
    this.assignment = transport.newAssignment();
  }

  get index(): number {
    return this.init.workerIndex;
  }

  private failure(call: WorkerCall, kind: 'error' | 'exit' | 'timeout', reason: string, cause?: unknown): WorkerError {
    const stack = kind === 'error' && cause instanceof Error ? cause.stack : undefined;
    return new WorkerError(
      {
        role: this.init.inEvaluation ? 'evaluation worker' : 'rollout worker',
        workerIndex: this.init.workerIndex,
        envId: String(this.init.settings.env),
        call,
        kind,
        reason,
        ...(stack === undefined ? {} : { remoteStack: stack }),
        ...(this.member === null ? {} : { host: this.member.label }),
      },
      cause === undefined ? undefined : { cause },
    );
  }

  /** `work` raced against the member being lost (heartbeats stopped) and `timeoutMs`. */
  private guarded<T>(call: WorkerCall, timeoutMs: number, work: (member: Member) => Promise<T>): Promise<T> {
    const member = this.member;
    if (this.terminated || member === null) return Promise.reject(this.failure(call, 'exit', 'the worker was terminated'));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unwatch();
        finish();
      };
      const unwatch = member.onLost((reason) => settle(() => reject(this.failure(call, 'timeout', reason))));
      const timer = setTimeout(
        () => settle(() => reject(this.failure(call, 'timeout', `no answer within ${timeoutMs / 1000} s (workerHealthProbeTimeoutS)`))),
        timeoutMs,
      );
      work(member).then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error instanceof WorkerError ? error : this.failure(call, 'error', String(error), error))),
      );
    });
  }

  /** One control call: request/reply on the process's subject. */
  private call<T>(request: ControlRequest, timeoutMs = this.timeouts.callMs): Promise<T> {
    const call = request.call;
    return this.guarded(call, timeoutMs, async (member) => {
      let reply: ControlReply;
      try {
        const msg = await this.transport.nc.request(this.transport.names.control(member.workerId), encodeJson(request), {
          timeout: timeoutMs,
        });
        reply = decodeJson<ControlReply>(msg.data, `the reply of ${member.label} to ${call}()`);
      } catch (error) {
        if (isNoResponders(error)) throw this.failure(call, 'exit', 'the worker process is gone (nothing answers on its subject)', error);
        if (error instanceof TimeoutError || (error as Error).cause instanceof TimeoutError) {
          throw this.failure(call, 'timeout', `no answer within ${timeoutMs / 1000} s (workerHealthProbeTimeoutS)`, error);
        }
        throw this.failure(call, 'error', `the request failed: ${(error as Error).message}`, error);
      }
      if (!reply.ok) throw this.failure(call, 'error', reply.error.message, remoteError(reply.error));
      return reply.value as T;
    });
  }

  private noJoin(): Error {
    const t = this.transport;
    const turnedAway =
      t.registry.turnedAway.length === 0
        ? ''
        : ` ${t.registry.turnedAway.length} worker process(es) were turned away: ${t.registry.turnedAway.join('; ')}.`;
    return this.failure(
      'start',
      'timeout',
      `no loomrl-worker process joined experiment "${t.names.name}" at ${t.serversText} within ${t.remote.joinTimeoutS} s ` +
        `(rollouts({ remote: { joinTimeoutS } })); start one with: loomrl-worker --nats ${t.serversText.split(', ')[0]} --name ${t.names.name}.${turnedAway}`,
    );
  }

  async start(): Promise<StartedInfo> {
    const waitMs = this.init.recreated ? null : this.transport.joinTimeoutMs;
    this.member = await this.transport.registry.acquire(waitMs, () => this.noJoin());
    if (this.terminated) {
      this.transport.registry.forget(this.member.workerId, 'the learner let it go');
      throw this.failure('start', 'exit', 'the worker was terminated');
    }
    this.transport.logger.info({ workerIndex: this.index, host: this.member.host, pid: this.member.pid }, 'NATS worker assigned');
    return this.call({ call: 'start', init: this.init, assignment: this.assignment }, this.timeouts.startMs);
  }

  setModules(specs: Readonly<Record<ModuleId, ModuleSpec>>): Promise<void> {
    return this.call({ call: 'setModules', specs });
  }

  async syncState(state: PackedState): Promise<void> {
    let ref: Awaited<ReturnType<NatsTransport['publishState']>>;
    try {
      ref = await this.transport.publishState(state, this.timeouts.callMs);
    } catch (error) {
      throw this.failure(
        'syncState',
        'error',
        `publishing module state version ${state.version} failed: ${(error as Error).message}`,
        error,
      );
    }
    await this.call({ call: 'syncState', state: ref });
  }

  getCheckpointState(): Promise<WorkerCheckpointState> {
    return this.call({ call: 'getCheckpointState' });
  }

  restoreCheckpointState(state: NonNullable<WorkerCheckpointState>): Promise<void> {
    return this.call({ call: 'restoreCheckpointState', state });
  }

  async sample(): Promise<RemoteSample> {
    const seq = this.seq++;
    const expected = this.transport.inbox.expect(this.assignment, seq);
    try {
      await this.call({ call: 'sample', seq });
      // The process answered after JetStream stored every chunk; the consumer brings them.
      return await this.guarded('sample', this.timeouts.callMs, () => expected.batch);
    } catch (error) {
      expected.cancel(error as Error);
      throw error;
    }
  }

  evaluate(unit: 'episodes' | 'timesteps', duration: number): Promise<EvaluationReply> {
    return this.call({ call: 'evaluate', unit, duration });
  }

  ping(): Promise<number> {
    return this.call({ call: 'ping' });
  }

  /** Releases the process (it closes its envs and joins again, idle) and forgets it. */
  async terminate(graceful = true): Promise<void> {
    if (this.terminated) return;
    const member = this.member;
    if (graceful && member !== null && member.lostReason === null) await this.call({ call: 'stop' }, 500).catch(() => undefined);
    this.terminated = true;
    this.transport.inbox.forget(this.assignment);
    if (member !== null) this.transport.registry.forget(member.workerId, 'the learner let it go');
  }
}
