/**
 * @loomrl/nats — rollout workers on other machines over NATS JetStream, with the same API:
 * `rollouts({ numRolloutWorkers, remote: { transport: 'nats', servers } })` on the learner, and
 * `loomrl-worker --nats nats://host:4222 --name <experiment>` on any host. `@loomrl/workers`
 * imports this package when a config asks for it.
 */

import type { AllSettings, Logger } from '@loomrl/core';
import type { WorkerTransport } from '@loomrl/workers/internal';
import { NatsTransport } from './learner/natsTransport.js';

export { TransportError } from './errors.js';
export { NatsWorkerProcess, type WorkerProcessOptions } from './worker/workerProcess.js';

/** The transport `WorkerSet` uses for the NATS workers of `settings.remote` (connects first). */
export function createNatsTransport(settings: AllSettings, options: { readonly logger: Logger }): Promise<WorkerTransport> {
  return NatsTransport.open(settings, options.logger);
}
