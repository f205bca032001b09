import type { FastifyInstance } from 'fastify';
import { ServeError } from '../httpError.js';
import { actionToJSON } from '../observation.js';
import type { RouteContext } from '../server.js';
import type { ExternalEnvHub } from './hub.js';

type IdParams = { Params: { id: string } };

const observationBody = {
  type: 'object',
  required: ['observation'],
  properties: { observation: {}, reward: { type: 'number' } },
  additionalProperties: false,
} as const;

/**
 * The external-env routes (RLlib's PolicyClient commands over JSON): `POST /v1/episodes`
 * (START_EPISODE), `/v1/episodes/:id/action` (GET_ACTION), `/rewards` (LOG_RETURNS), `/end`
 * (END_EPISODE) and `/logged-action` (LOG_ACTION, answered 501: the on-policy trainer cannot
 * learn from the application's own actions).
 */
export function registerExternalRoutes(app: FastifyInstance, hub: ExternalEnvHub, context: RouteContext): void {
  app.post<{ Body: { episode_id?: string; training_enabled?: boolean } }>(
    '/v1/episodes',
    {
      schema: {
        body: {
          type: 'object',
          properties: { episode_id: { type: 'string', minLength: 1, maxLength: 200 }, training_enabled: { type: 'boolean' } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const id = hub.startEpisode(request.body?.episode_id, request.body?.training_enabled ?? true);
      context.metrics.activeEpisodes.set(hub.activeEpisodes);
      return reply.status(201).send({ episode_id: id });
    },
  );
  // `reward` (optional) is logged before the observation is forwarded: log_returns + get_action in one round trip.
  app.post<IdParams & { Body: { observation: unknown; reward?: number } }>(
    '/v1/episodes/:id/action',
    { schema: { body: observationBody } },
    async (request) => {
      const obs = context.decodeObservation(request.body.observation);
      if (request.body.reward !== undefined) hub.logReturns(request.params.id, request.body.reward);
      return { action: actionToJSON(await hub.getAction(request.params.id, obs)) };
    },
  );
  app.post<IdParams & { Body: { reward: number; info?: Record<string, unknown> } }>(
    '/v1/episodes/:id/rewards',
    {
      schema: {
        body: {
          type: 'object',
          required: ['reward'],
          properties: { reward: { type: 'number' }, info: { type: 'object' } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      hub.logReturns(request.params.id, request.body.reward);
      return reply.status(204).send();
    },
  );
  app.post<IdParams & { Body: { observation: unknown; truncated?: boolean; reward?: number } }>(
    '/v1/episodes/:id/end',
    {
      schema: {
        body: {
          type: 'object',
          required: ['observation'],
          properties: { observation: {}, truncated: { type: 'boolean' }, reward: { type: 'number' } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const obs = context.decodeObservation(request.body.observation);
      if (request.body.reward !== undefined) hub.logReturns(request.params.id, request.body.reward);
      hub.endEpisode(request.params.id, obs, request.body.truncated ?? false);
      context.metrics.activeEpisodes.set(hub.activeEpisodes);
      return reply.status(204).send();
    },
  );
  app.post('/v1/episodes/:id/logged-action', async () => {
    throw new ServeError(
      501,
      'NOT_SUPPORTED',
      'logged actions (RLlib log_action) need an off-policy algorithm; this server trains on-policy.',
    );
  });
}
