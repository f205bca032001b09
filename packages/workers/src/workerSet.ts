import {
  type AllSettings,
  ConfigError,
  type EnvRunnerGroup,
  type EnvRunnerGroupFactory,
  type EpisodeStats,
  type EvaluationRound,
  isEnvRegistered,
  type RolloutColumns,
  type SampleBatch,
  type SampleRound,
  type Space,
  type WorkerHealth,
} from '@loomrl/core';
import { RolloutWorker } from './rolloutWorker.js';
import { meanSamplerPerf } from './samplerPerf.js';

/** The resolved fragment length of worker `workerIndex` (RLlib's `get_rollout_fragment_length`). */
export function fragmentLengthFor(settings: AllSettings, workerIndex: number): number {
  if (settings.rolloutFragmentLength !== 'auto') return settings.rolloutFragmentLength;
  const workers = Math.max(1, settings.numRolloutWorkers);
  const perEnv = settings.trainBatchSize / (settings.numEnvsPerWorker * workers);
  const base = Math.floor(perEnv);
  if (base === perEnv) return Math.max(1, base);
  const remainder = settings.trainBatchSize - base * settings.numEnvsPerWorker * workers;
  const extraWorkers = Math.floor(remainder / settings.numEnvsPerWorker);
  return Math.max(1, Math.max(1, workerIndex) <= extraWorkers ? base + 1 : base);
}

/**
 * The env runners of an algorithm (RLlib's `WorkerSet`): a local RolloutWorker, and remote
 * RolloutWorker threads when `numRolloutWorkers > 0`. Construction never throws for start-up
 * problems; they surface from `ready()` naming the worker.
 */
export class WorkerSet implements EnvRunnerGroup {
  readonly settings: AllSettings;
  readonly inEvaluation: boolean;
  private local: RolloutWorker | null = null;
  private readonly starting: Promise<void>;

  /** Starts the workers for `settings` in the background. */
  constructor(settings: AllSettings, options: { inEvaluation: boolean }) {
    this.settings = settings;
    this.inEvaluation = options.inEvaluation;
    const canBuildNow = settings.envModules.length === 0 && settings.env !== null && isEnvRegistered(settings.env);
    if (canBuildNow && settings.numRolloutWorkers === 0) {
      // Spaces are known at once, so `computeSingleAction` works right after `build()`.
      let error: unknown;
      try {
        this.local = new RolloutWorker(this.localOptions());
      } catch (e) {
        error = e;
      }
      this.starting = error === undefined ? Promise.resolve() : Promise.reject(this.wrap(0, error));
    } else {
      this.starting = this.start();
    }
    this.starting.catch(() => undefined);
  }

  /** A factory for `Algorithm`s: builds a `WorkerSet`. */
  static readonly factory: EnvRunnerGroupFactory = (settings, options) => new WorkerSet(settings, options);

  private localOptions() {
    return {
      settings: this.settings,
      workerIndex: 0,
      numWorkers: this.settings.numRolloutWorkers,
      remote: false,
      inEvaluation: this.inEvaluation,
      recreated: false,
      fragmentLength: fragmentLengthFor(this.settings, 0),
    };
  }

  private wrap(workerIndex: number, error: unknown): Error {
    const reason = error instanceof Error ? error.message : String(error);
    const role = this.inEvaluation ? 'evaluation worker' : 'rollout worker';
    return new (error instanceof ConfigError ? ConfigError : Error)(`${role} ${workerIndex} failed to start: ${reason}`, { cause: error });
  }

  private async start(): Promise<void> {
    if (this.settings.numRolloutWorkers > 0) {
      throw new ConfigError(
        `rollouts({ numRolloutWorkers: ${this.settings.numRolloutWorkers} }): remote worker threads are not available yet; use numRolloutWorkers: 0 (sampling on the local worker).`,
      );
    }
    try {
      this.local = await RolloutWorker.create(this.localOptions());
    } catch (error) {
      throw this.wrap(0, error);
    }
  }

  ready(): Promise<void> {
    return this.starting;
  }

  private localWorker(): RolloutWorker {
    if (this.local === null) throw new ConfigError('The workers are not ready yet: await algorithm.ready() (or train()) first.');
    return this.local;
  }

  spaces(): { observationSpace: Space<unknown>; actionSpace: Space<unknown> } | undefined {
    return this.local === null ? undefined : { observationSpace: this.local.observationSpace, actionSpace: this.local.actionSpace };
  }

  async sample(minEnvSteps: number): Promise<SampleRound> {
    const worker = this.localWorker();
    const batches: SampleBatch<RolloutColumns>[] = [];
    const episodes: EpisodeStats[] = [];
    const perfs = [];
    let envSteps = 0;
    let oldestVersion = Number.POSITIVE_INFINITY;
    let newestVersion = Number.NEGATIVE_INFINITY;
    while (envSteps < minEnvSteps) {
      const sample = worker.sample();
      batches.push(sample.batch);
      episodes.push(...sample.episodes);
      perfs.push(sample.perf);
      envSteps += sample.batch.count;
      oldestVersion = Math.min(oldestVersion, sample.weightsVersion);
      newestVersion = Math.max(newestVersion, sample.weightsVersion);
    }
    return { batches, episodes, envSteps, perf: meanSamplerPerf(perfs), weightVersionLag: Math.max(0, newestVersion - oldestVersion) };
  }

  async syncWeights(weights: Float32Array, version: number): Promise<void> {
    this.localWorker().setWeights(weights, version);
  }

  async evaluate(unit: 'episodes' | 'timesteps', duration: number): Promise<EvaluationRound> {
    return this.localWorker().evaluate(unit, duration);
  }

  health(): WorkerHealth {
    return { numHealthyWorkers: this.local === null ? 0 : 1, numRemoteWorkerRestarts: 0 };
  }

  async stop(): Promise<void> {
    this.local?.stop();
  }
}
