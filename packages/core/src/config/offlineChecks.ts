import { spaceFromJSON } from '../spaces/serialize.js';
import type { Check } from './checks.js';

/** The off-policy estimator types (RLlib's class names). */
export const OFF_POLICY_ESTIMATOR_TYPES = ['ImportanceSampling', 'WeightedImportanceSampling', 'DirectMethod', 'DoublyRobust'] as const;

/** A `Space` instance (anything with `toJSON()` returning a space description) becomes its JSON; other values pass unchanged. */
export function spaceToJSON(raw: unknown): unknown {
  if (typeof raw === 'object' && raw !== null && typeof (raw as { toJSON?: unknown }).toJSON === 'function') {
    return (raw as { toJSON(): unknown }).toJSON();
  }
  return raw;
}

/** A space description `spaceFromJSON` accepts. */
export const spaceJSON: Check = (v) => {
  try {
    spaceFromJSON(v as never);
    return undefined;
  } catch {
    return 'a space (e.g. new Box({ low: -1, high: 1, shape: [3] })) or its toJSON()';
  }
};

/** `'sampler'`, a path/glob/dir, a non-empty list of them, or `{ source: probability }` whose probabilities add up to 1. */
export const offlineInput: Check = (v) => {
  const expected = 'a path, directory or glob, a non-empty list of them, "sampler", "dataset", or { source: probability } adding up to 1';
  if (typeof v === 'string') return v.length > 0 ? undefined : expected;
  if (Array.isArray(v)) return v.length > 0 && v.every((p) => typeof p === 'string' && p.length > 0) ? undefined : expected;
  if (typeof v === 'object' && v !== null) {
    const weights = Object.values(v as Record<string, unknown>);
    if (weights.length === 0 || !weights.every((w) => typeof w === 'number' && w >= 0 && Number.isFinite(w))) return expected;
    const sum = (weights as number[]).reduce((a, b) => a + b, 0);
    return Math.abs(sum - 1) <= 1e-9 ? undefined : `${expected} (these add up to ${sum})`;
  }
  return expected;
};

/** `{ name: { type, ...settings } }` with a known estimator type. */
export const offPolicyEstimationMethods: Check = (v) => {
  const expected = `{ name: { type: ${OFF_POLICY_ESTIMATOR_TYPES.map((t) => `"${t}"`).join(' | ')}, ... } }`;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return expected;
  for (const entry of Object.values(v as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null) return expected;
    const type = (entry as { type?: unknown }).type;
    if (!(OFF_POLICY_ESTIMATOR_TYPES as readonly unknown[]).includes(type)) return `${expected} (got type ${JSON.stringify(type)})`;
  }
  return undefined;
};
