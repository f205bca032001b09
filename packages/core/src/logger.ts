import { type Logger, pino } from 'pino';

/** Log levels accepted by `debugging({ logLevel })`: RLlib's upper-case names or pino's. */
export type LogLevel =
  | 'TRACE'
  | 'DEBUG'
  | 'INFO'
  | 'WARN'
  | 'ERROR'
  | 'FATAL'
  | 'SILENT'
  | 'trace'
  | 'debug'
  | 'info'
  | 'warn'
  | 'error'
  | 'fatal'
  | 'silent';

/** Every accepted log level. */
export const LOG_LEVELS: readonly LogLevel[] = [
  'TRACE',
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
  'FATAL',
  'SILENT',
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
];

export type { Logger };

/**
 * A pino logger writing JSON lines to stderr at `level`; `bindings` (e.g. `{ workerIndex: 1 }`)
 * appear on every line. Library code logs only through these, never `console.log`.
 */
export function createLogger(level: LogLevel = 'WARN', bindings: Record<string, unknown> = {}): Logger {
  return pino({ name: 'loomrl', level: level.toLowerCase(), base: { ...bindings } }, pino.destination({ dest: 2, sync: true }));
}
