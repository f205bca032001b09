import { randomUUID } from 'node:crypto';
import { createLogger, type Space } from '@loomrl/core';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { bearerMatches, isLoopback } from './auth.js';
import { type BatchPolicy, MicroBatcher } from './batcher.js';
import { ServeError } from './httpError.js';
import { ServeMetrics } from './metrics.js';
import { actionToJSON, observationFromJSON } from './observation.js';

/** Options of `servePolicy` / `loomrl serve`. */
export interface ServeOptions {
  /** Bind address; default `127.0.0.1` (loopback only). */
  readonly host?: string;
  /** Port; default 9900, 0 = any free port. */
  readonly port?: number;
  /** Bearer token every request but `/healthz` must carry; required when `host` is not loopback. */
  readonly token?: string;
  /** Allow a non-loopback bind without a token (logs a warning). */
  readonly insecureNoAuth?: boolean;
  /** Largest accepted request body in bytes; default 1 MiB (larger → 413). */
  readonly bodyLimitBytes?: number;
  /** Observations computed together at most (Ray Serve's `max_batch_size`, default 32). */
  readonly maxBatchSize?: number;
  /** Wait for more requests after the first of a batch, ms (Ray Serve's `batch_wait_timeout_s`, default 2; 0 = none). */
  readonly batchWaitMs?: number;
  /** Whether `/metrics` needs the token too (default true when a token is set). */
  readonly metricsRequireToken?: boolean;
  /** Observations per request at most in `observations` (default 1024). */
  readonly maxObservationsPerRequest?: number;
}

/** What a server answers for: the spaces, the current policy, and optional extra routes. */
export interface PolicySource {
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  /** The policy now (it may change between calls, e.g. while training). */
  policy(): BatchPolicy;
  /** Extra data for `GET /v1/policy/spec`. */
  readonly describe: Record<string, unknown>;
  /** Whether the server is ready (policy loaded; trainer alive). */
  ready(): { ready: true } | { ready: false; reason: string };
  /** Registers more routes (the external-env routes). */
  registerRoutes?(app: FastifyInstance, context: RouteContext): void;
  /** Called when the server starts closing: answer requests that wait on something else (external episodes). */
  drain?(): void;
  /** Called when the server has closed. */
  close(): Promise<void>;
}

/** What extra routes get from the server. */
export interface RouteContext {
  readonly metrics: ServeMetrics;
  readonly batcher: MicroBatcher;
  decodeObservation(value: unknown): unknown;
}

/** A running policy server. */
export interface PolicyServer {
  /** `http://host:port`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly metrics: ServeMetrics;
  /** The request batcher (its `flushes` count is a test hook). */
  readonly batcher: MicroBatcher;
  /** Stops accepting requests, answers the ones in flight, then releases the policy. */
  close(): Promise<void>;
}

const ACTIONS_BODY = {
  type: 'object',
  properties: { observation: {}, observations: { type: 'array' }, explore: { type: 'boolean' } },
  additionalProperties: false,
} as const;

function errorBody(code: string, message: string, requestId: string) {
  return { error: { code, message, request_id: requestId } };
}

function toServeError(error: FastifyError | ServeError | Error): ServeError {
  if (error instanceof ServeError) return error;
  const e = error as FastifyError;
  if (e.validation !== undefined) return new ServeError(400, 'BAD_REQUEST', `Invalid request: ${e.message}.`);
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new ServeError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than the server accepts.');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new ServeError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send Content-Type: application/json.');
  if (e.statusCode === 400) return new ServeError(400, 'BAD_JSON', `The body is not valid JSON: ${e.message}`);
  return new ServeError(500, 'INTERNAL', 'The server failed to answer this request; see its logs.', { cause: error });
}

/** Starts a fastify server answering for `source` (inference routes, health, metrics, and the source's own routes). */
export async function startServer(source: PolicySource, options: ServeOptions = {}): Promise<PolicyServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = createLogger('WARN', { component: 'serve' });
  const token = options.token;
  if (!isLoopback(host) && (token === undefined || token.length === 0)) {
    if (options.insecureNoAuth !== true) {
      throw new ServeError(
        500,
        'TOKEN_REQUIRED',
        `Refusing to serve on ${host} without a bearer token: set a token (loomrl serve --token-file, or LOOMRL_SERVE_TOKEN), or bind 127.0.0.1.`,
      );
    }
    logger.warn({ host }, 'Serving on a non-loopback address WITHOUT authentication (insecureNoAuth).');
  }
  const metrics = new ServeMetrics();
  const batcher = new MicroBatcher(() => source.policy(), {
    maxBatchSize: options.maxBatchSize ?? 32,
    batchWaitMs: options.batchWaitMs ?? 2,
    onFlush: ({ size, seconds }) => {
      metrics.batchSize.observe(size);
      metrics.inferenceSeconds.observe(seconds);
    },
  });
  const maxObservations = options.maxObservationsPerRequest ?? 1024;
  const app = Fastify({
    bodyLimit: options.bodyLimitBytes ?? 2 ** 20,
    loggerInstance: logger as unknown as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  const decode = (value: unknown) => observationFromJSON(source.observationSpace, value);
  const exempt = new Set(['/healthz', ...(options.metricsRequireToken === false ? ['/metrics'] : [])]);

  app.addHook('onRequest', async (request) => {
    if (token === undefined || token.length === 0 || exempt.has(request.url.split('?')[0] ?? '')) return;
    if (!bearerMatches(request.headers.authorization, token)) {
      throw new ServeError(401, 'UNAUTHORIZED', 'Missing or wrong bearer token: send Authorization: Bearer <token>.');
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.requestSeconds.observe({ route }, reply.elapsedTime / 1000);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const e = toServeError(error);
    if (e.httpCode === 'INTERNAL') logger.error({ err: error, requestId: request.id }, 'request failed');
    if (e.retryAfterS !== undefined) reply.header('Retry-After', String(e.retryAfterS));
    void reply.status(e.status).send(errorBody(e.httpCode, e.message, request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(errorBody('NOT_FOUND', `No route ${request.method} ${request.url}.`, request.id));
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const state = source.ready();
    if (state.ready) return { status: 'ready' };
    return reply.status(503).send({ status: 'not_ready', reason: state.reason });
  });
  app.get('/metrics', async (_request, reply) => {
    metrics.policyVersion.set(source.policy().version);
    return reply.header('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/v1/policy/spec', async () => ({
    observation_space: source.observationSpace.toJSON(),
    action_space: source.actionSpace.toJSON(),
    policy_version: source.policy().version,
    ...source.describe,
  }));
  app.post<{ Body: { observation?: unknown; observations?: unknown[]; explore?: boolean } }>(
    '/v1/actions',
    { schema: { body: ACTIONS_BODY } },
    async (request) => {
      const { observation, observations, explore = false } = request.body;
      if ((observation === undefined) === (observations === undefined)) {
        throw new ServeError(400, 'BAD_REQUEST', 'Send exactly one of "observation" (one) or "observations" (a batch).');
      }
      if (observations !== undefined) {
        if (observations.length > maxObservations) {
          throw new ServeError(
            413,
            'PAYLOAD_TOO_LARGE',
            `At most ${maxObservations} observations per request, got ${observations.length}.`,
          );
        }
        const decoded = observations.map((o, i) => {
          try {
            return decode(o);
          } catch (error) {
            throw new ServeError(422, 'INVALID_OBSERVATION', `observations[${i}]: ${(error as Error).message}`);
          }
        });
        const answers = await Promise.all(decoded.map((o) => batcher.submit(o, explore)));
        return { actions: answers.map((a) => actionToJSON(a.action)), policy_version: answers[0]?.version ?? source.policy().version };
      }
      const answer = await batcher.submit(decode(observation), explore);
      return { action: actionToJSON(answer.action), policy_version: answer.version };
    },
  );
  // Ray Serve's RLlib example shape: { observation } → { action }.
  app.post<{ Body: { observation?: unknown } }>(
    '/compute_action',
    { schema: { body: { type: 'object', required: ['observation'], properties: { observation: {} } } } },
    async (request) => ({ action: actionToJSON((await batcher.submit(decode(request.body.observation), false)).action) }),
  );
  source.registerRoutes?.(app, { metrics, batcher, decodeObservation: decode });

  await app.listen({ host, port: options.port ?? 9900 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 9900);
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    metrics,
    batcher,
    close() {
      closing ??= (async () => {
        const closed = app.close();
        source.drain?.();
        await closed;
        batcher.close(new ServeError(503, 'NOT_READY', 'The server is shutting down.'));
        await source.close();
      })();
      return closing;
    },
  };
}
