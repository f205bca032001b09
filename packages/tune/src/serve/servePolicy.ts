import type { Algorithm } from '@loomrl/core';
import { type LoadedPolicy, loadPolicy } from '../policy/loadedPolicy.js';
import type { BatchPolicy } from './batcher.js';
import { type PolicyServer, type ServeOptions, startServer } from './server.js';

/**
 * The batch policy of an algorithm through its public interface: one `computeSingleAction` per
 * observation (a few µs each for the built-in MLPs), so every registered algorithm can be served.
 */
export function algorithmBatchPolicy(algorithm: Algorithm, version: () => number): BatchPolicy {
  return {
    computeActions: (observations, explore) => observations.map((obs) => algorithm.computeSingleAction(obs, { explore })),
    get version() {
      return version();
    },
  };
}

/** Options of `servePolicy`: the server's, plus modules that register your algorithms or envs. */
export interface ServePolicyOptions extends ServeOptions {
  readonly modules?: readonly string[];
}

/**
 * Serves a checkpoint's policy over HTTP/JSON: `POST /v1/actions` (`{ observation }` or
 * `{ observations: [...] }`, `explore` optional, default greedy) answered in micro-batches,
 * `POST /compute_action` (Ray Serve's example shape), `GET /v1/policy/spec`, `GET /healthz`,
 * `GET /readyz`, `GET /metrics` (Prometheus). Loopback by default; a bearer token is required
 * on any other address; bodies above `bodyLimitBytes` get 413.
 */
export async function servePolicy(checkpoint: string | LoadedPolicy, options: ServePolicyOptions = {}): Promise<PolicyServer> {
  const loaded = typeof checkpoint === 'string' ? await loadPolicy(checkpoint, options.modules) : checkpoint;
  const { algorithm } = loaded;
  const policy = algorithmBatchPolicy(algorithm, () => 1);
  try {
    return await startServer(
      {
        observationSpace: loaded.observationSpace,
        actionSpace: loaded.actionSpace,
        policy: () => policy,
        describe: { algorithm: algorithm.config.algorithm, checkpoint: loaded.checkpoint, model: algorithm.config.settings.model },
        ready: () => ({ ready: true }),
        close: () => algorithm.stop(),
      },
      options,
    );
  } catch (error) {
    await algorithm.stop();
    throw error;
  }
}
