import { LoomError } from '@loomrl/core';

/**
 * An error the policy server answers with: the HTTP status and the stable code of the response
 * body (`{ error: { code, message } }`), e.g. `INVALID_OBSERVATION`; as a `LoomError` its `code` is `SERVE_REQUEST_FAILED`.
 */
export class ServeError extends LoomError {
  readonly status: number;
  /** The code the response body carries, e.g. `BAD_JSON`, `UNAUTHORIZED`, `INVALID_OBSERVATION`. */
  readonly httpCode: string;
  readonly retryAfterS: number | undefined;
  constructor(status: number, httpCode: string, message: string, options: { retryAfterS?: number; cause?: unknown } = {}) {
    super('SERVE_REQUEST_FAILED', message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.httpCode = httpCode;
    this.retryAfterS = options.retryAfterS;
  }
}
