import { LoomError } from '@loomrl/core';

/**
 * The NATS side of remote workers cannot be reached or used: an unreachable server (the message
 * names the URL), a server without JetStream, an experiment name another learner already serves,
 * or — in a worker process — an experiment no learner serves or a learner of another version.
 * Code `TRANSPORT_FAILED`.
 */
export class TransportError extends LoomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRANSPORT_FAILED', message, options);
  }
}
