import { ActionError, CheckpointError, ConfigError, EnvError, LoomError } from '@loomrl/core';
import type { ChunkResult } from './evaluate.js';

/** An error as plain data: structured clone (how replies cross threads) keeps neither an error's class nor its `code`. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** The `LoomError` code, when it is one of ours. */
  readonly code?: string;
}

/** What an evaluation thread answers for one chunk: its result, or the error that stopped it. */
export type ThreadReply =
  | { readonly result: ChunkResult; readonly error?: undefined }
  | { readonly error: ErrorData; readonly result?: undefined };

/** The reply for an error thrown while running a chunk. */
export function failureReply(error: unknown): ThreadReply {
  if (!(error instanceof Error)) return { error: { name: 'Error', message: String(error) } };
  const code = error instanceof LoomError ? error.code : undefined;
  return {
    error: {
      name: error.name,
      message: error.message,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
      ...(code === undefined ? {} : { code }),
    },
  };
}

const LOOM_ERRORS: Readonly<Record<string, new (message: string) => LoomError>> = {
  CONFIG_INVALID: ConfigError,
  ENV_INVALID: EnvError,
  ACTION_INVALID: ActionError,
  CHECKPOINT_INVALID: CheckpointError,
};

/** The error `data` describes: our `LoomError` subclass for its code, else an `Error` with the same name, message and stack. */
export function reviveError(data: ErrorData): Error {
  const LoomClass = data.code === undefined ? undefined : LOOM_ERRORS[data.code];
  const error = LoomClass === undefined ? new Error(data.message) : new LoomClass(data.message);
  if (LoomClass === undefined) error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}

/** The chunk result of a reply, or its error revived and thrown. */
export function unwrapReply(reply: ThreadReply): ChunkResult {
  if (reply.error !== undefined) throw reviveError(reply.error);
  return reply.result;
}
