import { createLogger, SampleBatch } from '@loomrl/core';
import type { PackedState, RemoteSample } from '@loomrl/workers/internal';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection, nanos } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsServer } from './__fixtures__/natsServer.js';
import { joinChunks, splitChunks } from './frame.js';
import { SampleInbox } from './learner/sampleInbox.js';
import { SAMPLE_HEADERS } from './protocol.js';
import { decodeSample, encodeSample } from './sampleCodec.js';
import { decodeState, encodeState } from './stateCodec.js';

function sample(rows: number): RemoteSample {
  const batch = new SampleBatch(
    rows,
    { obs: 3, actions: 1, terminateds: 1, envId: 1, epsId: 1 },
    {
      obs: Float32Array.from({ length: rows * 3 }, (_, i) => i / 7),
      actions: Float32Array.from({ length: rows }, (_, i) => i % 2),
      terminateds: Uint8Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? 1 : 0)),
      envId: Int32Array.from({ length: rows }, (_, i) => i % 4),
      epsId: Float64Array.from({ length: rows }, (_, i) => 2 ** 32 + i),
    },
  );
  return {
    batches: { default: batch.toData() },
    episodes: [{ episodeReturn: Number.NaN, episodeLength: 3 }],
    perf: { meanEnvWaitMs: 0.1, meanInferenceMs: Number.POSITIVE_INFINITY, meanBatchBuildingMs: 0 },
    weightsVersion: 4,
  };
}

describe('the wire encoding', () => {
  it('round-trips a sample bit for bit, every column dtype, non-finite stats included, also cut into chunks', () => {
    const original = sample(33);
    const frame = encodeSample(original);
    for (const bytes of [frame, joinChunks(splitChunks(frame, 100))]) {
      const back = decodeSample(bytes);
      expect(back.weightsVersion).toBe(4);
      expect(back.perf.meanInferenceMs).toBe(Number.POSITIVE_INFINITY);
      expect(back.episodes[0]?.episodeReturn).toBeNaN();
      const columns = back.batches.default?.columns ?? {};
      for (const [name, column] of Object.entries(original.batches.default?.columns ?? {})) {
        expect(columns[name]?.constructor).toBe(column.constructor);
        expect(Array.from(columns[name] ?? [])).toEqual(Array.from(column));
      }
    }
    expect(splitChunks(frame, 100).every((chunk) => chunk.length <= 100)).toBe(true);
  });

  it('round-trips packed module state of float32 and float64 tensors', () => {
    const buffer = new ArrayBuffer(48);
    new Float32Array(buffer, 0, 3).set([1.5, -2, 3.25]);
    new Float64Array(buffer, 16, 4).set([Math.PI, -1e300, 0, 7]);
    const packed: PackedState = {
      version: 9,
      timestep: 1234,
      buffer,
      slots: [
        { module: 'default', name: 'policy', dtype: 'f32', offset: 0, length: 3 },
        { module: 'default', name: 'precision', dtype: 'f64', offset: 16, length: 4 },
      ],
    };
    const back = decodeState(encodeState(packed));
    expect(back.version).toBe(9);
    expect(back.timestep).toBe(1234);
    const [policy, precision] = back.slots;
    expect(Array.from(new Float32Array(back.buffer, policy?.offset, 3))).toEqual([1.5, -2, 3.25]);
    expect(Array.from(new Float64Array(back.buffer, precision?.offset, 4))).toEqual([Math.PI, -1e300, 0, 7]);
  });

  it('refuses bytes that are not a frame, naming what was expected', () => {
    expect(() => decodeSample(new TextEncoder().encode('{"hello": 1}'))).toThrow(
      /a sample batch from a NATS worker: not a LoomRL LRSB frame/,
    );
  });
});

describe('the sample inbox on a real JetStream stream', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  beforeAll(async () => {
    server = await NatsServer.start();
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'WIRE', subjects: ['wire.>'], retention: 'workqueue', storage: 'file', duplicate_window: nanos(60_000) });
    await jsm.consumers.add('WIRE', { durable_name: 'learner', ack_policy: 'explicit' });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  async function publish(assignment: string, seq: number, chunk: number, chunks: number, data: Uint8Array, msgID: string) {
    const h = headers();
    h.set(SAMPLE_HEADERS.assignment, assignment);
    h.set(SAMPLE_HEADERS.seq, String(seq));
    h.set(SAMPLE_HEADERS.chunk, String(chunk));
    h.set(SAMPLE_HEADERS.chunks, String(chunks));
    return jetstream(nc).publish('wire.w1', data, { headers: h, msgID });
  }

  it('hands each batch over once; duplicate chunks and batches nobody waits for are acknowledged and dropped', async () => {
    const inbox = new SampleInbox(createLogger('SILENT'));
    await inbox.start(await jetstream(nc).consumers.get('WIRE', 'learner'));
    const frame = encodeSample(sample(40));
    const [first, second] = splitChunks(frame, Math.ceil(frame.length / 2)) as [Uint8Array, Uint8Array];
    const wanted = inbox.expect('a1', 0);
    await publish('a1', 0, 0, 2, first, 'a1.0.0');
    // JetStream itself drops a republish with the same message id…
    expect((await publish('a1', 0, 0, 2, first, 'a1.0.0')).duplicate).toBe(true);
    // …and the inbox drops a copy that got past it (another id), and any chunk after the batch was handed over.
    await publish('a1', 0, 0, 2, first, 'a1.0.0-again');
    await publish('a1', 0, 1, 2, second, 'a1.0.1');
    const received = await wanted.batch;
    expect(received.batches.default?.count).toBe(40);
    await publish('a1', 0, 1, 2, second, 'a1.0.1-late');
    await publish('replaced-worker', 3, 0, 1, frame, 'old.3.0');
    const deadline = Date.now() + 5000;
    while (inbox.stats.duplicates + inbox.stats.stale < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(inbox.stats).toEqual({ batches: 1, rows: 40, duplicates: 2, stale: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect((await (await jetstreamManager(nc)).streams.info('WIRE')).state.messages).toBe(0); // every chunk acknowledged
    await inbox.close();
  });
});
