import { DataError } from '@loomrl/core';

const NON_FINITE = '$nonFinite';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * JSON bytes of a control message. Non-finite numbers survive (JSON would turn them into `null`,
 * and NaN must never pass silently); typed arrays are not expected here (samples and state travel
 * in their binary encodings).
 */
export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [NON_FINITE]: String(v) } : v)),
  );
}

/** The value `encodeJson` wrote; a `DataError` naming `what` when the bytes are not JSON. */
export function decodeJson<T>(bytes: Uint8Array, what: string): T {
  const text = decoder.decode(bytes);
  try {
    return JSON.parse(text, (_key, v: unknown) => {
      if (typeof v === 'object' && v !== null && NON_FINITE in v && Object.keys(v).length === 1) {
        return Number((v as Record<string, string>)[NON_FINITE]);
      }
      return v;
    }) as T;
  } catch (error) {
    throw new DataError(`${what} is not valid JSON: ${text.slice(0, 120)}`, { cause: error });
  }
}
