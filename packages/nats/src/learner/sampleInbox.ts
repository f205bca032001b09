import type { Logger } from '@loomrl/core';
import type { RemoteSample } from '@loomrl/workers/internal';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { joinChunks } from '../frame.js';
import { SAMPLE_HEADERS } from '../protocol.js';
import { decodeSample } from '../sampleCodec.js';

interface Expected {
  readonly resolve: (sample: RemoteSample) => void;
  readonly reject: (error: Error) => void;
  chunks: (Uint8Array | undefined)[];
  messages: JsMsg[];
  received: number;
}

/** What the inbox has seen, for tests and logs. */
export interface InboxStats {
  /** Batches handed to the call that asked for them. */
  batches: number;
  /** Rows in those batches (every module's). */
  rows: number;
  /** Chunks of a batch already handed over (a redelivery or a republish), dropped. */
  duplicates: number;
  /** Chunks nobody asked for (a failed worker's late batch, an earlier learner's), dropped. */
  stale: number;
}

/**
 * The learner's side of the sample stream: one durable pull consumer reads every worker's
 * chunks, reassembles each batch keyed by (assignment, sequence), hands it to the call that asked
 * for it and acknowledges its chunks then. A batch nobody waits for — a duplicate of one handed
 * over, or a late one from a worker that was replaced — is acknowledged and dropped, so nothing
 * is counted twice; an unacknowledged chunk is redelivered by JetStream.
 */
export class SampleInbox {
  private readonly expected = new Map<string, Expected>();
  private readonly delivered = new Map<string, Set<number>>();
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> = Promise.resolve();
  readonly stats: InboxStats = { batches: 0, rows: 0, duplicates: 0, stale: 0 };

  constructor(private readonly logger: Logger) {}

  /** Starts reading `consumer`. */
  async start(consumer: Consumer): Promise<void> {
    const messages = await consumer.consume({ max_messages: 64 });
    this.messages = messages;
    this.loop = (async () => {
      for await (const message of messages) this.receive(message);
    })().catch((error: unknown) => this.logger.error({ err: error }, 'the sample consumer stopped'));
  }

  /** A promise for batch `seq` of `assignment`, and a way to stop waiting for it. */
  expect(assignment: string, seq: number): { batch: Promise<RemoteSample>; cancel: (error: Error) => void } {
    const key = `${assignment}:${seq}`;
    let expected: Expected | undefined;
    const batch = new Promise<RemoteSample>((resolve, reject) => {
      expected = { resolve, reject, chunks: [], messages: [], received: 0 };
    });
    this.expected.set(key, expected as Expected);
    batch.catch(() => undefined); // a cancelled batch nobody awaits any more must not be an unhandled rejection
    return {
      batch,
      cancel: (error) => {
        if (this.expected.get(key) !== expected) return;
        this.expected.delete(key);
        (expected as Expected).reject(error);
      },
    };
  }

  /** Forgets what was delivered to `assignment` (its worker was terminated). */
  forget(assignment: string): void {
    this.delivered.delete(assignment);
  }

  private receive(message: JsMsg): void {
    const assignment = message.headers?.get(SAMPLE_HEADERS.assignment) ?? '';
    const seq = Number(message.headers?.get(SAMPLE_HEADERS.seq));
    const chunk = Number(message.headers?.get(SAMPLE_HEADERS.chunk));
    const chunks = Number(message.headers?.get(SAMPLE_HEADERS.chunks));
    const key = `${assignment}:${seq}`;
    const expected = this.expected.get(key);
    if (expected === undefined || !(chunk >= 0 && chunk < chunks)) {
      if (this.delivered.get(assignment)?.has(seq) === true) this.stats.duplicates += 1;
      else this.stats.stale += 1;
      this.logger.debug({ assignment, seq, chunk, redelivered: message.redelivered }, 'sample chunk dropped');
      message.ack();
      return;
    }
    expected.messages.push(message);
    if (expected.chunks[chunk] !== undefined) {
      this.stats.duplicates += 1;
      return;
    }
    expected.chunks.length = chunks;
    expected.chunks[chunk] = message.data;
    expected.received += 1;
    if (expected.received < chunks) return;
    this.expected.delete(key);
    let sample: RemoteSample;
    try {
      sample = decodeSample(joinChunks(expected.chunks as Uint8Array[]));
    } catch (error) {
      for (const m of expected.messages) m.ack();
      expected.reject(error as Error);
      return;
    }
    const seen = this.delivered.get(assignment) ?? new Set<number>();
    seen.add(seq);
    this.delivered.set(assignment, seen);
    this.stats.batches += 1;
    for (const batch of Object.values(sample.batches)) this.stats.rows += batch.count;
    for (const m of expected.messages) m.ack();
    expected.resolve(sample);
  }

  /** Stops reading; batches still expected reject. */
  async close(): Promise<void> {
    await this.messages?.close();
    await this.loop;
    for (const [key, expected] of this.expected) {
      this.expected.delete(key);
      expected.reject(new Error('the sample inbox was closed'));
    }
  }
}
