/**
 * The stable codes of `LoomError`s, for programs to match on:
 * - `CONFIG_INVALID` — a config value that is unknown, of the wrong type, or out of range (`ConfigError`);
 * - `ENV_INVALID` — an env id that is not registered, or an env breaking the Env contract (`EnvError`);
 * - `ACTION_INVALID` — an action outside the action space (`ActionError`);
 * - `DATA_INVALID` — a value entering training (weights, observations) that is not finite or has the wrong shape (`DataError`);
 * - `CHECKPOINT_INVALID` — a checkpoint that is missing, foreign, incomplete, corrupt or does not fit (`CheckpointError`);
 * - `LEARNER_DIVERGED` — a learner update produced NaN or infinite losses or weights (`LearnerError`);
 * - `LEARNER_THREAD_FAILED` — a thread of a data-parallel learner (`resources({ numLearnerWorkers })`) failed (`LearnerError`);
 * - `ALGORITHM_FAILED` / `ALGORITHM_STOPPED` — the algorithm failed earlier, or `stop()` was called (`AlgorithmError`);
 * - `WORKER_FAILED`, `WORKER_RESTARTS_EXHAUSTED`, `NO_HEALTHY_WORKERS` — rollout or evaluation workers (`WorkerError`, `@loomrl/workers`);
 * - `TRANSPORT_FAILED` — the message system of remote workers cannot be reached or used (`TransportError`, `@loomrl/nats`);
 * - `TUNE_INVALID`, `EXPORT_INVALID`, `SERVE_REQUEST_FAILED` — experiments, policy export and serving (`@loomrl/tune`).
 */
export type LoomErrorCode =
  | 'CONFIG_INVALID'
  | 'ENV_INVALID'
  | 'ACTION_INVALID'
  | 'DATA_INVALID'
  | 'CHECKPOINT_INVALID'
  | 'LEARNER_DIVERGED'
  | 'LEARNER_THREAD_FAILED'
  | 'ALGORITHM_FAILED'
  | 'ALGORITHM_STOPPED'
  | 'WORKER_FAILED'
  | 'WORKER_RESTARTS_EXHAUSTED'
  | 'NO_HEALTHY_WORKERS'
  | 'TRANSPORT_FAILED'
  | 'TUNE_INVALID'
  | 'EXPORT_INVALID'
  | 'SERVE_REQUEST_FAILED';

/** Base class of every error LoomRL throws on purpose; `code` is stable for programs to match on. */
export class LoomError extends Error {
  /** A stable, machine-readable error code, e.g. `CONFIG_INVALID`. */
  readonly code: LoomErrorCode;
  constructor(code: LoomErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A config value that is unknown, of the wrong type, or out of range. */
export class ConfigError extends LoomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
  }
}

/** An environment that breaks the Env contract, or an env id that is not registered. */
export class EnvError extends LoomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENV_INVALID', message, options);
  }
}

/** A checkpoint directory that is missing, incomplete, of another format, or that does not fit the algorithm. */
export class CheckpointError extends LoomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CHECKPOINT_INVALID', message, options);
  }
}

/** An action that is not an element of the env's action space. */
export class ActionError extends LoomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ACTION_INVALID', message, options);
  }
}

/** A value handed to training (weights, an observation) that is NaN, infinite, or of the wrong shape. */
export class DataError extends LoomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DATA_INVALID', message, options);
  }
}

/**
 * A learner update that produced NaN or infinite losses or weights (`LEARNER_DIVERGED`; the update is
 * not applied to the workers), or a learner thread of a data-parallel learner that failed or stopped
 * answering (`LEARNER_THREAD_FAILED`).
 */
export class LearnerError extends LoomError {
  constructor(message: string, options?: { cause?: unknown; code?: 'LEARNER_DIVERGED' | 'LEARNER_THREAD_FAILED' }) {
    super(options?.code ?? 'LEARNER_DIVERGED', message, options);
  }
}

/** A call on an algorithm that failed earlier (`ALGORITHM_FAILED`, the first failure as `cause`) or was stopped (`ALGORITHM_STOPPED`). */
export class AlgorithmError extends LoomError {
  constructor(code: 'ALGORITHM_FAILED' | 'ALGORITHM_STOPPED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Edit distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(above + 1, (prev[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return prev[b.length] ?? 0;
}

/** The candidate closest to `name` (case-insensitive), if it is close enough to be a likely typo. */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** ` Did you mean "x"?` when a near candidate exists, else an empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const near = nearestName(name, candidates);
  return near === undefined ? '' : ` Did you mean "${near}"?`;
}

const MAX_DESCRIPTION = 200;
/** Wraps non-finite numbers during `JSON.stringify` so they can be written back as NaN/Infinity, not `null`. */
const NON_FINITE_MARK = '\u0000';

function shorten(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 3)}...` : text;
}

/** Renders a value for an error message: short, unambiguous, never throws. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    // Render only as many entries as can be shown: a huge observation must not become a huge message.
    const entries = value as unknown as ArrayLike<number | bigint>;
    const parts: string[] = [];
    let length = value.constructor.name.length + 2;
    for (let i = 0; i < entries.length && length <= MAX_DESCRIPTION; i++) {
      const part = String(entries[i]);
      parts.push(part);
      length += part.length + 2;
    }
    return shorten(`${value.constructor.name}[${parts.join(', ')}]`);
  }
  try {
    const text = JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? `${NON_FINITE_MARK}${v}${NON_FINITE_MARK}` : v,
    );
    return shorten(text.replace(/"\\u0000(NaN|-?Infinity)\\u0000"/g, '$1'));
  } catch {
    return Object.prototype.toString.call(value);
  }
}
