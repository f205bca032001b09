import { hostname } from 'node:os';
import type { AllSettings, Logger, RemoteSettings } from '@loomrl/core';
import type { CallTimeouts, PackedState, WorkerInit, WorkerTransport } from '@loomrl/workers/internal';
import { type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type Msg, type NatsConnection, nanos, nuid, type Subscription } from '@nats-io/transport-node';
import { connectNats, serverList } from '../connection.js';
import { TransportError } from '../errors.js';
import { decodeJson, encodeJson } from '../json.js';
import { type ExperimentNames, experimentNames, LEARNERS_SUBJECT } from '../names.js';
import type { HeartbeatReply, HeartbeatRequest, JoinReply, JoinRequest, StateRef } from '../protocol.js';
import { StateStore } from '../stateStore.js';
import { packageVersions, versionMismatch } from '../versions.js';
import { NatsWorker } from './natsWorker.js';
import { SampleInbox } from './sampleInbox.js';
import { WorkerRegistry } from './workerRegistry.js';

/** How long sample batches may wait in the stream (a learner that never reads them). */
const STREAM_MAX_AGE_MS = 10 * 60_000;
/** JetStream drops a republished chunk (same message id) within this window. */
const DUPLICATE_WINDOW_MS = 2 * 60_000;

/**
 * The learner's end of NATS workers: one connection; the experiment's sample stream (a
 * work-queue stream on file storage, read by one durable pull consumer) and state buckets; the
 * join, heartbeat and discovery responders; the registry of joined worker processes. The pool
 * spawns a `NatsWorker` handle per NATS slot; each takes a joined process when it starts.
 */
export class NatsTransport implements WorkerTransport {
  readonly replacementsBlock = false;
  readonly names: ExperimentNames;
  readonly registry: WorkerRegistry;
  readonly inbox: SampleInbox;
  readonly remote: RemoteSettings;
  readonly logger: Logger;
  /** `workerHealthProbeTimeoutS`: a worker silent this long is lost. */
  readonly probeTimeoutS: number;
  private readonly subscriptions: Subscription[] = [];
  private lastState: { packed: PackedState; ref: Promise<StateRef> } | null = null;
  private closed = false;

  private constructor(
    readonly nc: NatsConnection,
    settings: AllSettings,
    private readonly states: StateStore,
    logger: Logger,
  ) {
    this.remote = settings.remote as RemoteSettings;
    this.logger = logger;
    this.probeTimeoutS = settings.workerHealthProbeTimeoutS;
    this.names = experimentNames(this.remote.name, this.remote.stream);
    this.registry = new WorkerRegistry(settings.workerHealthProbeTimeoutS * 1000, this.remote.heartbeatIntervalS * 1000, logger);
    this.inbox = new SampleInbox(logger);
  }

  /** Connects, checks that nobody else serves the experiment, sets up JetStream and starts answering workers. */
  static async open(settings: AllSettings, logger: Logger): Promise<NatsTransport> {
    const remote = settings.remote as RemoteSettings;
    const names = experimentNames(remote.name, remote.stream);
    const nc = await connectNats({ servers: remote.servers, credentials: remote.credentials, name: `loomrl-learner ${remote.name}` });
    try {
      await assertNotServed(nc, names, remote);
      const jsm = await jetstreamManagerOf(nc, remote);
      await ensureSampleStream(jsm, names);
      const states = await StateStore.create(nc, names);
      const transport = new NatsTransport(nc, settings, states, logger);
      await transport.inbox.start(await jetstream(nc).consumers.get(names.stream, names.consumer));
      transport.serve();
      logger.info({ servers: remote.servers, experiment: remote.name, stream: names.stream }, 'NATS transport ready');
      return transport;
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  /** The servers, as error messages name them. */
  get serversText(): string {
    return serverList(this.remote.servers).join(', ');
  }

  /** The server's `max_payload` (what one message may hold). */
  get maxPayload(): number {
    return this.nc.info?.max_payload ?? 1024 * 1024;
  }

  private serve(): void {
    const learner = { host: hostname(), pid: process.pid };
    const here = packageVersions();
    this.respond(this.names.join, (msg) => {
      const request = decodeJson<Partial<JoinRequest> & { probe?: boolean }>(msg.data, 'a join request');
      if (request.probe === true || request.workerId === undefined) {
        return { accepted: false, reason: `experiment "${this.names.name}" is served by this learner`, learner } satisfies JoinReply;
      }
      const mismatch = versionMismatch(here, request.versions ?? {});
      if (mismatch !== '') {
        const who = `host "${request.host}", pid ${request.pid}`;
        this.registry.turnedAway.push(`${who}: ${mismatch}`);
        this.logger.warn({ host: request.host, pid: request.pid, mismatch }, 'NATS worker turned away: package versions differ');
        return {
          accepted: false,
          reason: `package versions differ from the learner's (${mismatch}); install the same versions on every host`,
          learner,
        } satisfies JoinReply;
      }
      this.registry.join(request as JoinRequest);
      return {
        accepted: true,
        heartbeatIntervalS: this.remote.heartbeatIntervalS,
        probeTimeoutS: this.probeTimeoutS,
      } satisfies JoinReply;
    });
    this.respond(this.names.heartbeat, (msg) => {
      const { workerId } = decodeJson<HeartbeatRequest>(msg.data, 'a heartbeat');
      return { known: this.registry.heartbeat(workerId) } satisfies HeartbeatReply;
    });
    this.respond(LEARNERS_SUBJECT, () => ({ name: this.names.name, ...learner }));
  }

  private respond(subject: string, answer: (msg: Msg) => unknown): void {
    const subscription = this.nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error !== null) return;
        try {
          msg.respond(encodeJson(answer(msg)));
        } catch (e) {
          this.logger.warn({ err: e, subject }, 'bad message from a NATS worker');
        }
      },
    });
    this.subscriptions.push(subscription);
  }

  /** A handle for NATS slot `init.workerIndex`. */
  spawn(init: WorkerInit, timeouts: CallTimeouts): NatsWorker {
    return new NatsWorker(this, init, timeouts);
  }

  /** How long the first start of a slot waits for a process to join, ms. */
  get joinTimeoutMs(): number {
    return this.remote.joinTimeoutS * 1000;
  }

  /** A unique id for one assignment of a process to a slot. */
  newAssignment(): string {
    return nuid.next();
  }

  /**
   * Publishes module state once per broadcast (every handle of one `syncState` gets the same
   * object; a private copy of the newest version, for a recreated worker, reuses it), retrying
   * for `deadlineMs` while the server is away.
   */
  publishState(packed: PackedState, deadlineMs: number): Promise<StateRef> {
    const last = this.lastState;
    if (last !== null && (last.packed === packed || (packed.buffer instanceof ArrayBuffer && last.packed.version === packed.version))) {
      return last.ref;
    }
    const ref = retryUntil(Date.now() + deadlineMs, () => this.states.publish(packed));
    ref.catch(() => {
      if (this.lastState?.ref === ref) this.lastState = null;
    });
    this.lastState = { packed, ref };
    return ref;
  }

  /** Stops answering workers, ends the consumer and the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.registry.close();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await this.inbox.close().catch(() => undefined);
    await this.nc.close().catch(() => undefined);
  }
}

async function assertNotServed(nc: NatsConnection, names: ExperimentNames, remote: RemoteSettings): Promise<void> {
  let reply: JoinReply;
  try {
    const msg = await nc.request(names.join, encodeJson({ probe: true }), { timeout: 1000 });
    reply = decodeJson<JoinReply>(msg.data, 'a join probe reply');
  } catch {
    return; // nobody answers: the name is free
  }
  const by = reply.accepted ? '' : ` (host "${reply.learner.host}", pid ${reply.learner.pid})`;
  throw new TransportError(
    `Experiment "${remote.name}" is already served by another learner${by} on ${serverList(remote.servers).join(', ')}: give this run another rollouts({ remote: { name } }).`,
  );
}

async function jetstreamManagerOf(nc: NatsConnection, remote: RemoteSettings): Promise<JetStreamManager> {
  try {
    return await jetstreamManager(nc);
  } catch (error) {
    throw new TransportError(
      `The NATS server at ${serverList(remote.servers).join(', ')} has no JetStream (${(error as Error).message}): start it with JetStream on, e.g. nats-server -js -sd <store dir>.`,
      { cause: error },
    );
  }
}

async function ensureSampleStream(jsm: JetStreamManager, names: ExperimentNames): Promise<void> {
  const config = {
    name: names.stream,
    subjects: [names.streamSubjects],
    retention: 'workqueue' as const,
    storage: 'file' as const,
    max_age: nanos(STREAM_MAX_AGE_MS),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  try {
    await jsm.streams.add(config);
  } catch {
    await jsm.streams.update(names.stream, config);
  }
  // Batches of an earlier learner of this experiment are of no use to this one.
  await jsm.streams.purge(names.stream);
  await jsm.consumers.add(names.stream, {
    durable_name: names.consumer,
    ack_policy: 'explicit',
    ack_wait: nanos(30_000),
    max_ack_pending: 10_000,
  });
}

/** Runs `work` until it succeeds or `deadline` (epoch ms) passes, then rethrows its last error. */
export async function retryUntil<T>(deadline: number, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 100 * 2 ** attempt)));
    }
  }
}
