import { hostname } from 'node:os';
import { createLogger, type Logger, type LogLevel } from '@loomrl/core';
import { type RemoteSample, WorkerActor } from '@loomrl/workers/internal';
import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import { headers, type Msg, type NatsConnection, NoRespondersError, nuid, RequestError, type Subscription } from '@nats-io/transport-node';
import { connectNats, hostLabel, serverList } from '../connection.js';
import { TransportError } from '../errors.js';
import { splitChunks } from '../frame.js';
import { decodeJson, encodeJson } from '../json.js';
import { type ExperimentNames, experimentNames, LEARNERS_SUBJECT } from '../names.js';
import {
  type ControlReply,
  type ControlRequest,
  HEADER_ROOM_BYTES,
  type HeartbeatReply,
  type JoinReply,
  type JoinRequest,
  SAMPLE_HEADERS,
} from '../protocol.js';
import { encodeSample } from '../sampleCodec.js';
import { StateStore } from '../stateStore.js';
import { packageVersions } from '../versions.js';

/** How a `loomrl-worker` process reaches its learner. */
export interface WorkerProcessOptions {
  /** NATS server URLs (`--nats`). */
  readonly servers: string | readonly string[];
  /** The experiment to join (`--name`; the learner's `rollouts({ remote: { name } })`). */
  readonly name: string;
  /** A `.creds` or nkey seed file (`--credentials`); `null` = none. */
  readonly credentials: string | null;
  /** Give up when no learner serves the experiment for this many seconds (`--join-timeout`); `null` = wait for ever. */
  readonly joinTimeoutS: number | null;
  readonly logLevel: LogLevel;
  /** The host name this worker reports in messages (`--host`); default `os.hostname()`. */
  readonly host?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How often a waiting worker repeats "no learner serves experiment …". */
const NOTICE_EVERY_MS = 30_000;

function errorData(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error)
    return { name: error.name, message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) };
  return { name: 'Error', message: String(error) };
}

function isNoResponders(error: unknown): boolean {
  return error instanceof NoRespondersError || (error instanceof RequestError && error.isNoResponders());
}

/**
 * A `loomrl-worker` process: joins experiment `name` over NATS, then hosts the `RolloutWorker`
 * its learner assigns (the `WorkerActor` threads host, built from the same `WorkerInit`), answers
 * control calls on its own subject in order, publishes sample batches to the experiment's
 * JetStream stream in chunks under the server's `max_payload`, and sends heartbeats. When the
 * learner forgets it (it was partitioned, or a new learner took over) or stops answering, it
 * drops its envs and joins again; it ends only on `stop()` or a fatal error (`done` rejects).
 */
export class NatsWorkerProcess {
  readonly workerId = nuid.next();
  readonly host: string;
  /** Settles when the process stops: resolves on `stop()`, rejects with a `TransportError` it cannot recover from. */
  readonly done: Promise<void>;
  private readonly nc: NatsConnection;
  private readonly js: JetStreamClient;
  private readonly names: ExperimentNames;
  private readonly options: WorkerProcessOptions;
  private readonly logger: Logger;
  private readonly subscription: Subscription;
  private actor: WorkerActor | null = null;
  private assignment: string | null = null;
  private states: StateStore | null = null;
  private queue: Promise<void> = Promise.resolve();
  private joined = false;
  private stopped = false;

  private constructor(nc: NatsConnection, options: WorkerProcessOptions) {
    this.nc = nc;
    this.js = jetstream(nc);
    this.options = options;
    this.host = options.host ?? hostname();
    this.names = experimentNames(options.name);
    this.logger = createLogger(options.logLevel, { component: 'loomrl-worker', workerId: this.workerId, host: this.host });
    this.subscription = nc.subscribe(this.names.control(this.workerId), {
      callback: (error, msg) => {
        if (error === null) this.queue = this.queue.then(() => this.answer(msg));
      },
    });
    this.done = this.run();
    this.done.catch(() => undefined);
  }

  /** Connects (a `TransportError` naming the URL when the server cannot be reached) and starts joining. */
  static async start(options: WorkerProcessOptions): Promise<NatsWorkerProcess> {
    const nc = await connectNats({ servers: options.servers, credentials: options.credentials, name: `loomrl-worker ${options.name}` });
    return new NatsWorkerProcess(nc, options);
  }

  private get label(): string {
    return hostLabel(this.host, process.pid);
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped) {
        const reply = await this.join();
        if (reply === null) break;
        await this.heartbeats(reply.heartbeatIntervalS * 1000, reply.probeTimeoutS * 1000);
      }
    } finally {
      this.stopped = true;
      this.subscription.unsubscribe();
      this.reset();
      await this.nc.close().catch(() => undefined);
    }
  }

  /** Asks to join until the learner accepts; `null` once stopped. */
  private async join(): Promise<Extract<JoinReply, { accepted: true }> | null> {
    const request: JoinRequest = { workerId: this.workerId, host: this.host, pid: process.pid, versions: packageVersions() };
    const started = Date.now();
    let lastNotice = 0;
    for (let attempt = 0; !this.stopped; attempt++) {
      let reply: JoinReply | null = null;
      let unanswered: string | null = null;
      try {
        reply = decodeJson<JoinReply>(
          (await this.nc.request(this.names.join, encodeJson(request), { timeout: 2000 })).data,
          'a join reply',
        );
      } catch (error) {
        if (!isNoResponders(error)) unanswered = (error as Error).message;
      }
      if (reply?.accepted === true) {
        this.joined = true;
        this.logger.info({ experiment: this.options.name, servers: this.options.servers }, 'joined the experiment');
        return reply;
      }
      if (reply !== null) {
        throw new TransportError(
          `The learner of experiment "${this.options.name}" (host "${reply.learner.host}", pid ${reply.learner.pid}) turned this worker (${this.label}) away: ${reply.reason}`,
        );
      }
      const waited = Date.now() - started;
      if (this.options.joinTimeoutS !== null && waited >= this.options.joinTimeoutS * 1000) {
        throw new TransportError(`${await this.nobodyServes()} (waited ${this.options.joinTimeoutS} s, --join-timeout).`);
      }
      if (Date.now() - lastNotice >= NOTICE_EVERY_MS) {
        lastNotice = Date.now();
        if (unanswered === null) this.logger.warn(`${await this.nobodyServes()}; waiting for one`);
        else this.logger.warn(`No answer to joining experiment "${this.options.name}" (${unanswered}); trying again`);
      }
      await sleep(attempt < 8 ? 250 : 1000);
    }
    return null;
  }

  /** `No learner serves experiment "x" on <servers> (learners serving now: …)`. */
  private async nobodyServes(): Promise<string> {
    const serving: string[] = [];
    try {
      for await (const msg of await this.nc.requestMany(LEARNERS_SUBJECT, encodeJson({}), { maxWait: 500 })) {
        const learner = decodeJson<{ name: string; host: string; pid: number }>(msg.data, 'a learner');
        serving.push(`"${learner.name}" (host "${learner.host}", pid ${learner.pid})`);
      }
    } catch {
      // nobody answered
    }
    const others = serving.length === 0 ? 'none' : serving.join(', ');
    return `No learner serves experiment "${this.options.name}" on ${serverList(this.options.servers).join(', ')} (learners serving now: ${others})`;
  }

  /** Heartbeats until the learner forgets this worker or stops answering for `probeMs`. */
  private async heartbeats(intervalMs: number, probeMs: number): Promise<void> {
    let lastAnswer = Date.now();
    while (!this.stopped && this.joined) {
      await sleep(intervalMs);
      if (this.stopped) return;
      try {
        const msg = await this.nc.request(this.names.heartbeat, encodeJson({ workerId: this.workerId }), {
          timeout: Math.max(intervalMs, 500),
        });
        lastAnswer = Date.now();
        if (!decodeJson<HeartbeatReply>(msg.data, 'a heartbeat reply').known) {
          this.leave('the learner no longer counts this worker (it was replaced, or a new learner serves the experiment)');
        }
      } catch (error) {
        if (Date.now() - lastAnswer > probeMs)
          this.leave(`the learner has not answered heartbeats for ${probeMs / 1000} s (${(error as Error).message})`);
      }
    }
  }

  private leave(reason: string): void {
    this.logger.warn({ reason }, 'left the experiment; joining again');
    this.joined = false;
    this.reset();
  }

  /** Drops the assignment and closes its envs. */
  private reset(): void {
    this.actor?.stop();
    this.actor = null;
    this.assignment = null;
  }

  private async answer(msg: Msg): Promise<void> {
    let reply: ControlReply;
    try {
      const request = decodeJson<ControlRequest>(msg.data, 'a control request');
      reply = { ok: true, value: (await this.handle(request)) ?? null };
    } catch (error) {
      reply = { ok: false, error: errorData(error) };
    }
    msg.respond(encodeJson(reply));
  }

  private requireActor(): WorkerActor {
    if (this.actor === null)
      throw new Error(`loomrl-worker ${this.label} has no assignment (it left the experiment, or start() never came)`);
    return this.actor;
  }

  private async handle(request: ControlRequest): Promise<unknown> {
    switch (request.call) {
      case 'start': {
        this.reset();
        const actor = new WorkerActor(request.init);
        this.actor = actor;
        this.assignment = request.assignment;
        return actor.start();
      }
      case 'setModules':
        return this.requireActor().setModules(request.specs);
      case 'syncState': {
        this.states ??= await StateStore.open(this.nc, this.names);
        const state = await this.states.read(request.state);
        return this.requireActor().syncState(state);
      }
      case 'sample': {
        const sample = this.requireActor().sample();
        return { seq: request.seq, chunks: await this.publish(sample, request.seq) };
      }
      case 'evaluate':
        return this.requireActor().evaluate(request.unit, request.duration);
      case 'getCheckpointState':
        return this.requireActor().getCheckpointState();
      case 'restoreCheckpointState':
        return this.requireActor().restoreCheckpointState(request.state);
      case 'ping':
        return this.requireActor().ping();
      case 'stop':
        this.reset();
        return null;
    }
  }

  /** Publishes one sample to the stream in chunks; resolves once JetStream stored every chunk. */
  private async publish(sample: RemoteSample, seq: number): Promise<number> {
    const assignment = this.assignment as string;
    const chunkBytes = (this.nc.info?.max_payload ?? 1024 * 1024) - HEADER_ROOM_BYTES;
    const chunks = splitChunks(encodeSample(sample), chunkBytes);
    await Promise.all(
      chunks.map((data, i) => {
        const h = headers();
        h.set(SAMPLE_HEADERS.assignment, assignment);
        h.set(SAMPLE_HEADERS.seq, String(seq));
        h.set(SAMPLE_HEADERS.chunk, String(i));
        h.set(SAMPLE_HEADERS.chunks, String(chunks.length));
        return this.js.publish(this.names.samples(this.workerId), data, { headers: h, msgID: `${assignment}.${seq}.${i}` });
      }),
    );
    return chunks.length;
  }

  /** Closes the envs and the connection; `done` resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.joined = false;
    await this.done.catch(() => undefined);
  }
}
