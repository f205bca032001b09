import { DataError } from '@loomrl/core';

/** Element types of the portable compact encoding. */
export type NdDtype = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';

/**
 * LoomRL-JSONL v1's compact column encoding (portable, no Python pickle): the little-endian,
 * C-order bytes of the array in base64, with its dtype and shape. float32 `[[1, -2.5], [0.5, 3]]`
 * is `{"__nd__":1,"dtype":"float32","shape":[2,2],"b64":"AACAPwAAIMAAAAA/AABAQA=="}`.
 */
export interface NdArrayJSON {
  readonly __nd__: 1;
  readonly dtype: NdDtype;
  readonly shape: readonly number[];
  readonly b64: string;
}

/** Whether a parsed JSON value is an `NdArrayJSON`. */
export function isNdArray(value: unknown): value is NdArrayJSON {
  return typeof value === 'object' && value !== null && (value as { __nd__?: unknown }).__nd__ === 1;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes `values` (rows × width, row-major) as float32 / float64 / int32 / uint8 bytes. */
export function encodeNdArray(values: Float32Array | Float64Array | Int32Array | Uint8Array, shape: readonly number[]): NdArrayJSON {
  if (!littleEndian) throw new DataError('The compact column encoding needs a little-endian machine.');
  const dtype: NdDtype =
    values instanceof Float32Array
      ? 'float32'
      : values instanceof Float64Array
        ? 'float64'
        : values instanceof Int32Array
          ? 'int32'
          : 'uint8';
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return { __nd__: 1, dtype, shape: [...shape], b64: bytes.toString('base64') };
}

const BYTES: Readonly<Record<NdDtype, number>> = { float32: 4, float64: 8, int32: 4, int64: 8, uint8: 1, bool: 1 };

/** The numbers of an `NdArrayJSON` as float64 (int64 values beyond 2^53 lose precision) and its shape; bad input throws with `where`. */
export function decodeNdArray(nd: NdArrayJSON, where: string): { values: Float64Array; shape: readonly number[] } {
  const size = BYTES[nd.dtype];
  if (size === undefined)
    throw new DataError(
      `${where}: unknown dtype ${JSON.stringify(nd.dtype)} in a compact column (expected one of ${Object.keys(BYTES).join(', ')}).`,
    );
  if (!Array.isArray(nd.shape) || !nd.shape.every((d) => Number.isInteger(d) && d >= 0) || typeof nd.b64 !== 'string') {
    throw new DataError(`${where}: a compact column needs "shape" (integers) and "b64" (a base64 string).`);
  }
  const count = nd.shape.reduce((a, b) => a * b, 1);
  const bytes = Buffer.from(nd.b64, 'base64');
  if (bytes.length !== count * size) {
    throw new DataError(
      `${where}: a compact ${nd.dtype} column of shape [${nd.shape.join(', ')}] needs ${count * size} bytes, got ${bytes.length}.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * size;
    switch (nd.dtype) {
      case 'float32':
        values[i] = view.getFloat32(at, true);
        break;
      case 'float64':
        values[i] = view.getFloat64(at, true);
        break;
      case 'int32':
        values[i] = view.getInt32(at, true);
        break;
      case 'int64':
        values[i] = Number(view.getBigInt64(at, true));
        break;
      default:
        values[i] = view.getUint8(at);
    }
  }
  return { values, shape: nd.shape };
}
