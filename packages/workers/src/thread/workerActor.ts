import { createLogger, type Logger, loadEnvModules } from '@loomrl/core';
import { RolloutWorker } from '../rolloutWorker.js';
import { importBuiltinEnvsIfNeeded } from './builtinEnvs.js';
import type { EvaluationReply, RemoteSample, RemoteWorkerApi, StartedInfo, WeightsMessage, WorkerInit } from './protocol.js';

/** The RolloutWorker actor that lives inside a worker thread; the thread entry exposes it with comlink. */
export class WorkerActor implements RemoteWorkerApi {
  private readonly init: WorkerInit;
  private readonly logger: Logger;
  private worker: RolloutWorker | null = null;

  /** An actor for `init`; nothing is built until `start()`. */
  constructor(init: WorkerInit) {
    this.init = init;
    this.logger = createLogger(init.settings.logLevel, {
      workerIndex: init.workerIndex,
      role: init.inEvaluation ? 'evaluation' : 'rollout',
    });
  }

  async start(): Promise<StartedInfo> {
    const { settings } = this.init;
    await loadEnvModules(settings.envModules);
    await importBuiltinEnvsIfNeeded(settings.env as string);
    this.worker = new RolloutWorker({
      settings,
      workerIndex: this.init.workerIndex,
      numWorkers: this.init.numWorkers,
      remote: true,
      inEvaluation: this.init.inEvaluation,
      recreated: this.init.recreated,
      fragmentLength: this.init.fragmentLength,
    });
    this.logger.info({ env: settings.env, numEnvs: settings.numEnvsPerWorker, recreated: this.init.recreated }, 'worker started');
    return { observationSpace: this.worker.observationSpace.toJSON(), actionSpace: this.worker.actionSpace.toJSON() };
  }

  private rolloutWorker(): RolloutWorker {
    if (this.worker === null) throw new Error(`worker ${this.init.workerIndex} was called before start()`);
    return this.worker;
  }

  setWeights(message: WeightsMessage): void {
    this.rolloutWorker().setWeights(new Float32Array(message.buffer, 0, message.length), message.version);
  }

  sample(): RemoteSample {
    try {
      const sample = this.rolloutWorker().sample();
      return { batch: sample.batch.toData(), episodes: sample.episodes, perf: sample.perf, weightsVersion: sample.weightsVersion };
    } catch (error) {
      this.logger.error({ err: error }, 'sample failed');
      throw error;
    }
  }

  evaluate(unit: 'episodes' | 'timesteps', duration: number): EvaluationReply {
    return this.rolloutWorker().evaluate(unit, duration);
  }

  ping(): number {
    return this.init.workerIndex;
  }

  stop(): void {
    this.worker?.stop();
    this.worker = null;
  }
}
