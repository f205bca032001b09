/**
 * A small typed client of the LoomRL policy server (`@loomrl/tune/client`): inference
 * (`computeAction`, `computeActions`) and the external-env episode protocol of RLlib's
 * `PolicyClient` in remote-inference mode (`startEpisode`, `getAction`, `logReturns`,
 * `endEpisode`). Plain `fetch`, no other dependency, so an application imports only this.
 */

/** An error answer of the server: its HTTP status and stable code (`INVALID_OBSERVATION`, `UNAUTHORIZED`, …). */
export class PolicyServerError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'PolicyServerError';
    this.status = status;
    this.code = code;
  }
}

/** Options of `PolicyClient`. */
export interface PolicyClientOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Per-request timeout, ms (default 60 000: an external-env action waits for the trainer). */
  readonly timeoutMs?: number;
}

/** Talks to `loomrl serve` / `servePolicy` / `serveExternalEnv` at `address` (e.g. `http://127.0.0.1:9900`). */
export class PolicyClient<O = unknown, A = unknown> {
  readonly address: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(address: string, options: PolicyClientOptions = {}) {
    this.address = address.replace(/\/+$/, '');
    this.headers = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.address}${path}`, {
      method,
      headers: body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const json = text.length === 0 ? undefined : (JSON.parse(text) as unknown);
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new PolicyServerError(response.status, error?.code ?? 'HTTP_ERROR', error?.message ?? `HTTP ${response.status} from ${path}`);
    }
    return json as T;
  }

  /** The action for one observation (greedy unless `explore`). */
  async computeAction(observation: O, options: { explore?: boolean } = {}): Promise<{ action: A; policyVersion: number }> {
    const r = await this.call<{ action: A; policy_version: number }>('POST', '/v1/actions', {
      observation,
      explore: options.explore ?? false,
    });
    return { action: r.action, policyVersion: r.policy_version };
  }

  /** Actions for a batch of observations, in order. */
  async computeActions(observations: readonly O[], options: { explore?: boolean } = {}): Promise<{ actions: A[]; policyVersion: number }> {
    const r = await this.call<{ actions: A[]; policy_version: number }>('POST', '/v1/actions', {
      observations,
      explore: options.explore ?? false,
    });
    return { actions: r.actions, policyVersion: r.policy_version };
  }

  /** Starts an episode (RLlib `start_episode`); returns its id. `trainingEnabled: false` = served, not learned from. */
  async startEpisode(options: { episodeId?: string; trainingEnabled?: boolean } = {}): Promise<string> {
    const r = await this.call<{ episode_id: string }>('POST', '/v1/episodes', {
      ...(options.episodeId === undefined ? {} : { episode_id: options.episodeId }),
      training_enabled: options.trainingEnabled ?? true,
    });
    return r.episode_id;
  }

  /**
   * The policy's action for `observation` in the episode (RLlib `get_action`); `reward`, when
   * given, is logged first (`logReturns` and `getAction` in one round trip).
   */
  async getAction(episodeId: string, observation: O, options: { reward?: number } = {}): Promise<A> {
    const body = options.reward === undefined ? { observation } : { observation, reward: options.reward };
    return (await this.call<{ action: A }>('POST', `/v1/episodes/${encodeURIComponent(episodeId)}/action`, body)).action;
  }

  /** Records an action the application chose itself (RLlib `log_action`; off-policy algorithms only). */
  async logAction(episodeId: string, observation: O, action: A): Promise<void> {
    await this.call('POST', `/v1/episodes/${encodeURIComponent(episodeId)}/logged-action`, { observation, action });
  }

  /** Adds `reward` to the previous action's reward (RLlib `log_returns`; several calls add up). */
  async logReturns(episodeId: string, reward: number, info?: Record<string, unknown>): Promise<void> {
    await this.call('POST', `/v1/episodes/${encodeURIComponent(episodeId)}/rewards`, { reward, ...(info === undefined ? {} : { info }) });
  }

  /** Ends the episode with its last observation (RLlib `end_episode`); `truncated` = cut, not terminal; `reward` is logged first. */
  async endEpisode(episodeId: string, observation: O, options: { truncated?: boolean; reward?: number } = {}): Promise<void> {
    await this.call('POST', `/v1/episodes/${encodeURIComponent(episodeId)}/end`, {
      observation,
      truncated: options.truncated ?? false,
      ...(options.reward === undefined ? {} : { reward: options.reward }),
    });
  }

  /** `GET /v1/policy/spec`: spaces, model and policy version. */
  spec(): Promise<Record<string, unknown>> {
    return this.call('GET', '/v1/policy/spec');
  }

  /** `GET /healthz`. */
  health(): Promise<{ status: string }> {
    return this.call('GET', '/healthz');
  }
}
