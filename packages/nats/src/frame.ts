import { DataError } from '@loomrl/core';
import { decodeJson, encodeJson } from './json.js';

/** The typed arrays a frame carries (sample columns, state tensors). */
export type FrameArray = Float32Array | Float64Array | Int32Array | Uint8Array;
type Dtype = 'f32' | 'f64' | 'i32' | 'u8';

const CONSTRUCTORS = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u8: Uint8Array } as const;

function dtypeOf(array: FrameArray): Dtype {
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Float64Array) return 'f64';
  if (array instanceof Int32Array) return 'i32';
  return 'u8';
}

interface ArrayEntry {
  readonly dtype: Dtype;
  readonly length: number;
  /** Byte offset in the body (8-aligned). */
  readonly offset: number;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;
const PREAMBLE = 8; // 4 bytes magic + u32 header length

/**
 * One binary message: a 4-byte magic, the length of a small JSON header (`meta` and where each
 * array sits), then the arrays' bytes, each 8-aligned — the typed-array encoding the threads
 * transfer, put on the wire as it is (no JSON per row).
 */
export function encodeFrame(magic: string, meta: unknown, arrays: readonly FrameArray[]): Uint8Array {
  const entries: ArrayEntry[] = [];
  let bodyBytes = 0;
  for (const array of arrays) {
    entries.push({ dtype: dtypeOf(array), length: array.length, offset: bodyBytes });
    bodyBytes += align8(array.byteLength);
  }
  const header = encodeJson({ meta, arrays: entries });
  const bodyStart = align8(PREAMBLE + header.length);
  const out = new Uint8Array(bodyStart + bodyBytes);
  out.set(new TextEncoder().encode(magic.slice(0, 4)), 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, PREAMBLE);
  arrays.forEach((array, i) => {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), bodyStart + (entries[i] as ArrayEntry).offset);
  });
  return out;
}

/**
 * What `encodeFrame` wrote: `meta` and the arrays, as views over one buffer. The body is used in
 * place only when `bytes` spans its whole buffer (a buffer nobody else writes, such as
 * `joinChunks`' output); otherwise it is copied, so no array aliases a client's receive buffer.
 */
export function decodeFrame<M>(bytes: Uint8Array, magic: string, what: string): { meta: M; arrays: FrameArray[]; body: ArrayBuffer } {
  const found = new TextDecoder().decode(bytes.subarray(0, 4));
  if (bytes.length < PREAMBLE || found !== magic) {
    throw new DataError(`${what}: not a LoomRL ${magic} frame (starts with ${JSON.stringify(found)}, ${bytes.length} bytes)`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  const header = decodeJson<{ meta: M; arrays: ArrayEntry[] }>(bytes.subarray(PREAMBLE, PREAMBLE + headerLength), what);
  const bodyStart = align8(PREAMBLE + headerLength);
  const aligned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bodyStart % 8 === 0;
  const body = (aligned ? bytes.buffer : bytes.slice(bodyStart).buffer) as ArrayBuffer;
  const base = aligned ? bytes.byteOffset + bodyStart : 0;
  const arrays = header.arrays.map((entry) => {
    const Ctor = CONSTRUCTORS[entry.dtype];
    if (Ctor === undefined || base + entry.offset + entry.length * Ctor.BYTES_PER_ELEMENT > body.byteLength) {
      throw new DataError(`${what}: array of ${entry.length} ${String(entry.dtype)} runs past the frame`);
    }
    return new Ctor(body, base + entry.offset, entry.length);
  });
  return { meta: header.meta, arrays, body };
}

/** `frame` cut into pieces of at most `chunkBytes` (the server's `max_payload` less room for headers). */
export function splitChunks(frame: Uint8Array, chunkBytes: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < frame.length; at += chunkBytes) chunks.push(frame.subarray(at, Math.min(frame.length, at + chunkBytes)));
  return chunks.length === 0 ? [frame] : chunks;
}

/** The chunks back in one fresh buffer (also for one chunk: the caller owns the result). */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
