import { LoomError } from '@loomrl/core';

/** An error with the HTTP status and the stable code the server answers with (`{ error: { code, message } }`). */
export class ServeError extends LoomError {
  readonly status: number;
  readonly retryAfterS: number | undefined;
  constructor(status: number, code: string, message: string, options: { retryAfterS?: number; cause?: unknown } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.retryAfterS = options.retryAfterS;
  }
}
