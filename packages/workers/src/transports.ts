import { type AllSettings, ConfigError, type Logger } from '@loomrl/core';
import { threadTransport } from './threadTransport.js';
import type { WorkerTransport } from './workerHandle.js';

/** The package of the NATS transport: an optional peer, imported by a variable specifier so `@loomrl/workers` never depends on it. */
export const NATS_TRANSPORT_MODULE = '@loomrl/nats';

/** What `@loomrl/nats` exports for WorkerSet. */
export interface NatsTransportModule {
  /** Connects to the servers of `settings.remote` and serves the experiment; rejects naming the server when it cannot. */
  createNatsTransport(settings: AllSettings, options: { readonly logger: Logger }): Promise<WorkerTransport>;
}

async function importNatsTransport(): Promise<NatsTransportModule> {
  const specifier = NATS_TRANSPORT_MODULE;
  try {
    return (await import(specifier)) as NatsTransportModule;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(specifier)) {
      throw new ConfigError(
        `rollouts({ remote: { transport: 'nats' } }) needs the package ${specifier} beside @loomrl/workers: npm install ${specifier}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Which transport each remote worker index uses: threads, except the last `numNatsWorkers` of
 * `numRolloutWorkers` when `rollouts({ remote })` is set. Evaluation workers are always threads
 * (or the local worker).
 */
export async function transportsFor(
  settings: AllSettings,
  options: { readonly inEvaluation: boolean; readonly logger: Logger },
): Promise<(index: number) => WorkerTransport> {
  const remote = options.inEvaluation ? null : (settings.remote ?? null);
  const numNats = remote === null ? 0 : (remote.numNatsWorkers ?? settings.numRolloutWorkers);
  if (remote === null || numNats === 0) return () => threadTransport;
  const nats = await (await importNatsTransport()).createNatsTransport(settings, { logger: options.logger });
  const firstNats = settings.numRolloutWorkers - numNats + 1;
  return (index) => (index >= firstNats ? nats : threadTransport);
}
