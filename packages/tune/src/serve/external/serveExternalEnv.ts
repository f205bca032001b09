import { join } from 'node:path';
import { type Algorithm, type AlgorithmConfig, createLogger, makeEnv, type Space, type TrainResult } from '@loomrl/core';
import { loadEnvModules } from '@loomrl/core/internal';
import { builtFile } from '../../builtFile.js';
import { algorithmBatchPolicy } from '../servePolicy.js';
import { type PolicyServer, type ServeOptions, startServer } from '../server.js';
import { ExternalEnvHub, type ExternalHubOptions } from './hub.js';
import { EXTERNAL_ENV_ID } from './protocol.js';
import { registerExternalRoutes } from './routes.js';

/** Options of `serveExternalEnv`. */
export interface ExternalEnvServerOptions extends ServeOptions, Omit<ExternalHubOptions, 'inference' | 'onEpisodeEnd'> {
  /**
   * The algorithm to train (any registered one). Its `env` names the spaces the application's
   * observations and actions live in, unless `observationSpace`/`actionSpace` are given; its
   * rollout workers step external-env slots instead (`numRolloutWorkers` ≥ 1 × `numEnvsPerWorker`
   * slots: sampling advances when every slot has an episode, so run at least that many episodes at once).
   */
  readonly config: AlgorithmConfig;
  readonly observationSpace?: Space<unknown>;
  readonly actionSpace?: Space<unknown>;
  /** A checkpoint of the same algorithm and model to start from (`algo.restore`). */
  readonly restoreFrom?: string;
  /** Called after every training iteration. */
  readonly onResult?: (result: TrainResult) => void;
  /** Save `checkpointDir/checkpoint_<iteration>` every `checkpointFreq` iterations (0 = never). */
  readonly checkpointDir?: string;
  readonly checkpointFreq?: number;
}

/** A policy server that also trains on the experience its clients send. */
export interface ExternalEnvServer extends PolicyServer {
  /** The training algorithm (its weights answer every request). */
  readonly algorithm: Algorithm;
  /** The newest training result, or `null` before the first. */
  readonly latestResult: TrainResult | null;
}

/**
 * RLlib's external-env pattern (`PolicyServerInput` + `PolicyClient` in remote-inference mode)
 * over HTTP/JSON: the application is the environment. Clients start episodes, ask for actions,
 * log rewards and end episodes (`PolicyClient`); the experience trains the algorithm in a loop,
 * and each new version of the weights answers the next actions. `/v1/actions` serves the same
 * policy for plain inference.
 */
export async function serveExternalEnv(options: ExternalEnvServerOptions): Promise<ExternalEnvServer> {
  const s = options.config.settings;
  let observationSpace = options.observationSpace;
  let actionSpace = options.actionSpace;
  if (observationSpace === undefined || actionSpace === undefined) {
    await loadEnvModules(s.envModules);
    const probe = makeEnv(String(s.env), s.envConfig);
    observationSpace ??= probe.observationSpace;
    actionSpace ??= probe.actionSpace;
    probe.close?.();
  }
  const logger = createLogger(s.logLevel, { component: 'externalEnv' });
  let algo: Algorithm | null = null;
  let latest: TrainResult | null = null;
  let version = 0;
  let closing = false;
  let trainerError: Error | null = null;
  const hub = new ExternalEnvHub({
    ...options,
    inference: (obs) => (algo as Algorithm).computeSingleAction(obs),
    onEpisodeEnd: (outcome) => metricsRef.current?.episodes.inc({ outcome }),
  });
  const metricsRef: { current: PolicyServer['metrics'] | null } = { current: null };
  const config = options.config
    .copy()
    .environment({
      env: EXTERNAL_ENV_ID,
      envConfig: { channel: hub.channel, observationSpace: observationSpace.toJSON(), actionSpace: actionSpace.toJSON() },
      envModules: [...s.envModules, builtFile(import.meta.url, './externalEnv.js').href],
    })
    .rollouts({ numRolloutWorkers: Math.max(1, s.numRolloutWorkers) })
    .evaluation({ evaluationInterval: null, evaluationNumWorkers: 0 })
    .faultTolerance({ workerHealthProbeTimeoutS: Math.max(s.workerHealthProbeTimeoutS, 24 * 3600) });
  const training = config.build();
  algo = training;
  const policy = algorithmBatchPolicy(training, () => version);
  const trainer = (async () => {
    await training.ready();
    if (options.restoreFrom !== undefined) await training.restore(options.restoreFrom);
    while (!closing) {
      const result = await training.train();
      latest = result;
      version = result.weightsVersion;
      metricsRef.current?.trainIterations.inc();
      const freq = options.checkpointFreq ?? 0;
      if (options.checkpointDir !== undefined && freq > 0 && result.trainingIteration % freq === 0) {
        await training.save(join(options.checkpointDir, `checkpoint_${String(result.trainingIteration).padStart(6, '0')}`));
      }
      options.onResult?.(result);
    }
  })().catch((error: Error) => {
    if (closing) return;
    trainerError = error;
    logger.error({ err: error }, 'the external-env trainer stopped');
  });
  const server = await startServer(
    {
      observationSpace,
      actionSpace,
      policy: () => policy,
      describe: { algorithm: training.config.algorithm, model: training.config.settings.model, mode: 'external', slots: hub.slotStats },
      ready: () =>
        trainerError !== null
          ? { ready: false, reason: `trainer failed: ${(trainerError as Error).message}` }
          : hub.slotStats.slots === 0
            ? { ready: false, reason: 'rollout workers are starting' }
            : { ready: true },
      registerRoutes: (app, context) => registerExternalRoutes(app, hub, context),
      drain: () => {
        closing = true;
        hub.close();
      },
      close: async () => {
        await training.stop();
        await trainer;
        hub.dispose();
      },
    },
    options,
  ).catch(async (error: unknown) => {
    closing = true;
    hub.close();
    await training.stop();
    hub.dispose();
    throw error;
  });
  metricsRef.current = server.metrics;
  return {
    ...server,
    algorithm: training,
    get latestResult() {
      return latest;
    },
  };
}
