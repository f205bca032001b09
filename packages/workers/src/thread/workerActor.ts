import { createLogger, type Logger, type ModuleId, type ModuleSpec, type WorkerCheckpointState } from '@loomrl/core';
import { loadEnvModules, loadModuleKinds } from '@loomrl/core/internal';
import { RolloutWorker, type RolloutWorkerState } from '../rolloutWorker.js';
import { type PackedState, unpackState } from '../stateBroadcast.js';
import { importBuiltinEnvsIfNeeded } from './builtinEnvs.js';
import type { EvaluationReply, RemoteSample, RemoteWorkerApi, StartedInfo, WorkerInit } from './protocol.js';

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
    await loadModuleKinds(settings.modules);
    if (settings.env !== null) await importBuiltinEnvsIfNeeded(settings.env);
    this.worker = new RolloutWorker({
      settings,
      workerIndex: this.init.workerIndex,
      numWorkers: this.init.numWorkers,
      remote: true,
      inEvaluation: this.init.inEvaluation,
      recreated: this.init.recreated,
      fragmentLength: this.init.fragmentLength,
      requiredInputColumns: this.init.requiredInputColumns,
    });
    this.logger.info({ env: settings.env, numEnvs: settings.numEnvsPerWorker, recreated: this.init.recreated }, 'worker started');
    return { observationSpace: this.worker.observationSpace.toJSON(), actionSpace: this.worker.actionSpace.toJSON() };
  }

  private rolloutWorker(): RolloutWorker {
    if (this.worker === null) throw new Error(`worker ${this.init.workerIndex} was called before start()`);
    return this.worker;
  }

  setModules(specs: Readonly<Record<ModuleId, ModuleSpec>>): void {
    this.rolloutWorker().setModules(specs);
  }

  syncState(state: PackedState): void {
    this.rolloutWorker().syncState(unpackState(state));
  }

  sample(): RemoteSample {
    try {
      const sample = this.rolloutWorker().sample();
      const batches: Record<string, ReturnType<(typeof sample.batches)[string]['toData']>> = {};
      for (const [id, batch] of Object.entries(sample.batches)) batches[id] = batch.toData();
      return { batches, episodes: sample.episodes, perf: sample.perf, weightsVersion: sample.weightsVersion };
    } catch (error) {
      this.logger.error({ err: error }, 'sample failed');
      throw error;
    }
  }

  evaluate(unit: 'episodes' | 'timesteps', duration: number): EvaluationReply {
    const { batch, ...round } = this.rolloutWorker().evaluate(unit, duration);
    return batch === undefined ? round : { ...round, batch: batch.toData() };
  }

  getCheckpointState(): WorkerCheckpointState {
    return this.rolloutWorker().getCheckpointState();
  }

  restoreCheckpointState(state: NonNullable<WorkerCheckpointState>): void {
    this.rolloutWorker().restoreCheckpointState(state as RolloutWorkerState);
  }

  ping(): number {
    return this.init.workerIndex;
  }

  stop(): void {
    this.worker?.stop();
    this.worker = null;
  }
}
