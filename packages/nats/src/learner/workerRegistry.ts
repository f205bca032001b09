import type { Logger } from '@loomrl/core';
import { hostLabel } from '../connection.js';
import { TransportError } from '../errors.js';
import type { JoinRequest, WorkerIdentity } from '../protocol.js';

/** A worker process that joined: idle until a pool slot takes it. */
export class Member implements WorkerIdentity {
  readonly workerId: string;
  readonly host: string;
  readonly pid: number;
  /** `host "h", pid p`, for messages. */
  readonly label: string;
  /** Why the member was lost (heartbeats stopped, or the learner forgot it); `null` while it is a member. */
  lostReason: string | null = null;
  private readonly listeners = new Set<(reason: string) => void>();

  constructor(identity: WorkerIdentity) {
    this.workerId = identity.workerId;
    this.host = identity.host;
    this.pid = identity.pid;
    this.label = hostLabel(identity.host, identity.pid);
  }

  /** Calls `listener` once when the member is lost; returns the unsubscribe (each call watches only while it runs). */
  onLost(listener: (reason: string) => void): () => void {
    if (this.lostReason !== null) {
      listener(this.lostReason);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Marks the member lost and tells the listeners. */
  markLost(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    for (const listener of [...this.listeners]) listener(reason);
    this.listeners.clear();
  }
}

interface MemberState {
  readonly member: Member;
  lastSeen: number;
  assigned: boolean;
}

interface Waiter {
  readonly resolve: (member: Member) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The worker processes that joined this learner: the idle ones wait in join order for a pool
 * slot to take them (`acquire`); every member's heartbeats are watched, and one silent for
 * `probeTimeoutMs` is lost (its calls fail, it is forgotten; when it comes back it joins again).
 */
export class WorkerRegistry {
  private readonly members = new Map<string, MemberState>();
  private readonly idle: string[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly watchdog: NodeJS.Timeout;
  private closed = false;
  /** Join requests turned away (e.g. a version mismatch), for the "nobody joined" error. */
  readonly turnedAway: string[] = [];

  constructor(
    private readonly probeTimeoutMs: number,
    heartbeatIntervalMs: number,
    private readonly logger: Logger,
  ) {
    this.watchdog = setInterval(() => this.checkHeartbeats(), Math.max(50, heartbeatIntervalMs / 2));
    this.watchdog.unref();
  }

  /** Adds a worker process that asked to join (a process joining again replaces its old entry). */
  join(request: JoinRequest): void {
    this.forget(request.workerId, 'it joined again');
    const member = new Member(request);
    this.members.set(member.workerId, { member, lastSeen: Date.now(), assigned: false });
    this.logger.info({ workerId: member.workerId, host: member.host, pid: member.pid }, 'NATS worker joined');
    this.offer(member.workerId);
  }

  /** Records a heartbeat; false when the process is not (or no longer) a member. */
  heartbeat(workerId: string): boolean {
    const state = this.members.get(workerId);
    if (state === undefined) return false;
    state.lastSeen = Date.now();
    return true;
  }

  /** Members that joined and wait for a slot. */
  get numIdle(): number {
    return this.idle.length;
  }

  /**
   * The longest-waiting idle member, marked assigned; waits for one to join, for at most
   * `timeoutMs` (`null` = until `close()`), then rejects with `onTimeout()`.
   */
  acquire(timeoutMs: number | null, onTimeout: () => Error): Promise<Member> {
    if (this.closed) return Promise.reject(new TransportError('The NATS transport was closed.'));
    return new Promise<Member>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        resolve: (member) => {
          clearTimeout(timer);
          resolve(member);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      if (timeoutMs !== null) {
        timer = setTimeout(() => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(onTimeout());
        }, timeoutMs);
      }
      this.waiters.push(waiter);
      this.serveWaiters();
    });
  }

  private offer(workerId: string): void {
    this.idle.push(workerId);
    this.serveWaiters();
  }

  private serveWaiters(): void {
    while (this.waiters.length > 0 && this.idle.length > 0) {
      const state = this.members.get(this.idle.shift() as string);
      if (state === undefined || state.assigned) continue;
      state.assigned = true;
      (this.waiters.shift() as Waiter).resolve(state.member);
    }
  }

  /** Drops a member: it is marked lost with `reason`; its heartbeats are answered "unknown" from now on. */
  forget(workerId: string, reason: string): void {
    const state = this.members.get(workerId);
    if (state === undefined) return;
    this.members.delete(workerId);
    const at = this.idle.indexOf(workerId);
    if (at >= 0) this.idle.splice(at, 1);
    state.member.markLost(reason);
  }

  private checkHeartbeats(): void {
    const now = Date.now();
    for (const [workerId, state] of this.members) {
      const silentMs = now - state.lastSeen;
      if (silentMs > this.probeTimeoutMs) {
        this.logger.warn({ workerId, host: state.member.host, pid: state.member.pid, silentMs }, 'NATS worker lost (no heartbeat)');
        this.forget(workerId, `no heartbeat from it for ${(silentMs / 1000).toFixed(1)} s (workerHealthProbeTimeoutS)`);
      }
    }
  }

  /** Stops watching; waiting `acquire`s reject. */
  close(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    for (const waiter of this.waiters.splice(0)) waiter.reject(new TransportError('The NATS transport was closed.'));
    for (const workerId of [...this.members.keys()]) this.forget(workerId, 'the learner stopped');
  }
}
