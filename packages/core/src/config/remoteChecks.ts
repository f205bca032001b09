import { ConfigError, didYouMean } from '../errors.js';
import { type Check, integerAtLeast, nonEmptyString, nullable, positiveNumber } from './checks.js';
import type { AllSettings, RemoteSettings } from './settings.js';

/** The defaults of `rollouts({ remote })` besides `transport` and `servers`, written once. */
export const REMOTE_DEFAULTS: Omit<RemoteSettings, 'transport' | 'servers'> = {
  name: 'default',
  stream: null,
  credentials: null,
  numNatsWorkers: null,
  joinTimeoutS: 60,
  heartbeatIntervalS: 1,
};

/** Letters, digits, `-` and `_`: safe inside NATS subjects, stream and bucket names. */
const NAME = /^[A-Za-z0-9_-]+$/;
const nameCheck: Check = (v) => (typeof v === 'string' && NAME.test(v) ? undefined : 'a name of letters, digits, "-" and "_"');
const serversCheck: Check = (v) =>
  nonEmptyString(v) === undefined || (Array.isArray(v) && v.length > 0 && v.every((s) => nonEmptyString(s) === undefined))
    ? undefined
    : 'a server URL or a non-empty array of them, e.g. "nats://10.0.0.5:4222"';

const REMOTE_FIELDS: Readonly<Record<keyof RemoteSettings, Check>> = {
  transport: (v) => (v === 'nats' ? undefined : '"nats"'),
  servers: serversCheck,
  name: nameCheck,
  stream: nullable(nameCheck),
  credentials: nullable(nonEmptyString),
  numNatsWorkers: nullable(integerAtLeast(0)),
  joinTimeoutS: positiveNumber,
  heartbeatIntervalS: positiveNumber,
};

/** Checks `rollouts({ remote })`: `null`, or `{ transport: 'nats', servers, … }` with known keys. */
export const remoteCheck: Check = (value) => {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return "null or { transport: 'nats', servers, … }";
  const record = value as Record<string, unknown>;
  for (const [key, inner] of Object.entries(record)) {
    const check = REMOTE_FIELDS[key as keyof RemoteSettings];
    if (check === undefined) {
      return `known keys (${Object.keys(REMOTE_FIELDS).join(', ')}); "${key}" is none of them.${didYouMean(key, Object.keys(REMOTE_FIELDS))}`;
    }
    const expected = inner === undefined ? undefined : check(inner);
    if (expected !== undefined) return `${key}: ${expected}`;
  }
  for (const required of ['transport', 'servers'] as const) {
    if (record[required] === undefined) return `an object with "${required}" set (transport: 'nats', servers: ['nats://host:4222'])`;
  }
  return undefined;
};

/** A new `remote` replaces the old one, its missing keys taking the defaults. */
export function mergeRemote(_current: unknown, update: unknown): unknown {
  if (update === null) return null;
  const given = Object.fromEntries(Object.entries(update as Record<string, unknown>).filter(([, v]) => v !== undefined));
  return { ...REMOTE_DEFAULTS, ...given };
}

/** Checks `remote` against the other settings (single values were checked when set). */
export function validateRemote(s: Pick<AllSettings, 'remote' | 'numRolloutWorkers' | 'workerHealthProbeTimeoutS'>): void {
  const remote = s.remote;
  if (remote === null) return;
  if (s.numRolloutWorkers < 1) {
    throw new ConfigError(
      `rollouts({ remote }) needs numRolloutWorkers >= 1 (the NATS workers count among them), got ${s.numRolloutWorkers}.`,
    );
  }
  if (remote.numNatsWorkers !== null && remote.numNatsWorkers > s.numRolloutWorkers) {
    throw new ConfigError(
      `rollouts({ remote: { numNatsWorkers: ${remote.numNatsWorkers} } }) exceeds numRolloutWorkers (${s.numRolloutWorkers}): the NATS workers are counted among the rollout workers.`,
    );
  }
  if (remote.heartbeatIntervalS >= s.workerHealthProbeTimeoutS) {
    throw new ConfigError(
      `rollouts({ remote: { heartbeatIntervalS: ${remote.heartbeatIntervalS} } }) must be below faultTolerance({ workerHealthProbeTimeoutS: ${s.workerHealthProbeTimeoutS} }): a worker silent for the probe timeout counts as failed.`,
    );
  }
}
