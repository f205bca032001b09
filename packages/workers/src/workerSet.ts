import {
  type AllSettings,
  ConfigError,
  createLogger,
  type EnvRunnerGroup,
  type EnvRunnerGroupFactory,
  type EpisodeStats,
  type EvaluationRound,
  isEnvRegistered,
  type ModuleId,
  type ModuleSpec,
  type ModuleStateMessage,
  SampleBatch,
  type SampleRound,
  type SamplerPerf,
  type Space,
  spaceFromJSON,
  type TransitionColumns,
  type WorkerCheckpointState,
  type WorkerHealth,
} from '@loomrl/core';
import { rolloutFragmentLengthFor, sortEpisodes } from '@loomrl/core/internal';
import { splitDuration } from './evaluationSplit.js';
import { RemoteWorkerPool } from './remoteWorkerPool.js';
import { RolloutWorker, type RolloutWorkerState } from './rolloutWorker.js';
import { meanSamplerPerf } from './samplerPerf.js';
import { StateBroadcast } from './stateBroadcast.js';
import { transportsFor } from './transports.js';
import { type WorkerCall, WorkerError } from './workerError.js';

type Spaces = { observationSpace: Space<unknown>; actionSpace: Space<unknown> };

function checkWorkerCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${name} must be an integer >= 0, got ${String(value)}.`);
  }
}

/**
 * The env runners of an algorithm (RLlib's `WorkerSet`). With `numRolloutWorkers: 0` a local
 * RolloutWorker on the main thread samples; with `numRolloutWorkers: n > 0`, n RolloutWorker
 * threads (`worker_threads`, comlink) sample in parallel, each stepping `numEnvsPerWorker` envs
 * built from the config's `env` after importing its `envModules` (`.js`, or `.ts` through tsx);
 * with `rollouts({ remote: { transport: 'nats', … } })` the last `numNatsWorkers` of them are
 * `loomrl-worker` processes on any host, reached over NATS JetStream (`@loomrl/nats`).
 * The algorithm describes the modules the workers act with (plain-data specs) and syncs their
 * state (named tensors, a version, the global timestep) once per update through a shared buffer;
 * samples come back as transferred typed arrays, per module id. Failed threads are replaced per `faultTolerance(...)`. Construction never throws for
 * start-up problems; they surface from `ready()` (and so from `train()`) naming the worker.
 */
export class WorkerSet implements EnvRunnerGroup {
  readonly settings: AllSettings;
  readonly inEvaluation: boolean;
  private local: RolloutWorker | null = null;
  private pool: RemoteWorkerPool | null = null;
  private remoteSpaces: Spaces | null = null;
  private readonly state = new StateBroadcast();
  private specs: Readonly<Record<ModuleId, ModuleSpec>> | null = null;
  private readonly starting: Promise<void>;
  private stopped = false;

  /** Our names of the columns every line of offline input must have (the algorithm's needs). */
  readonly requiredInputColumns: readonly string[];

  /** Starts the workers for `settings` in the background. */
  constructor(settings: AllSettings, options: { inEvaluation: boolean; requiredInputColumns?: readonly string[] }) {
    this.settings = settings;
    this.inEvaluation = options.inEvaluation;
    this.requiredInputColumns = options.requiredInputColumns ?? [];
    const canBuildNow = settings.envModules.length === 0 && (settings.env === null || isEnvRegistered(settings.env));
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
      fragmentLength: rolloutFragmentLengthFor(this.settings, 0),
      requiredInputColumns: this.requiredInputColumns,
    };
  }

  private get role(): 'rollout worker' | 'evaluation worker' {
    return this.inEvaluation ? 'evaluation worker' : 'rollout worker';
  }

  /** The local worker's failure in `call` as a `WorkerError` (the remote workers' form), keeping the original as `cause`. */
  private wrap(workerIndex: number, error: unknown, call: WorkerCall = 'start'): WorkerError {
    if (error instanceof WorkerError) return error;
    return new WorkerError(
      {
        role: this.role,
        workerIndex,
        envId: String(this.settings.env),
        call,
        kind: 'error',
        reason: error instanceof Error ? error.message : String(error),
      },
      { cause: error },
    );
  }

  /** Runs the local worker's `call`; an error it throws becomes a `WorkerError` of worker 0. */
  private onLocal<T>(call: WorkerCall, work: (worker: RolloutWorker) => T): T {
    const worker = this.localWorker();
    try {
      return work(worker);
    } catch (error) {
      throw this.wrap(0, error, call);
    }
  }

  private async start(): Promise<void> {
    const s = this.settings;
    checkWorkerCount(this.inEvaluation ? 'evaluation({ evaluationNumWorkers })' : 'rollouts({ numRolloutWorkers })', s.numRolloutWorkers);
    if (s.numRolloutWorkers === 0) {
      try {
        this.local = await RolloutWorker.create(this.localOptions());
      } catch (error) {
        throw this.wrap(0, error);
      }
      return;
    }
    const logger = createLogger(s.logLevel, { component: this.inEvaluation ? 'evaluationWorkerSet' : 'workerSet' });
    const transportFor = await transportsFor(s, { inEvaluation: this.inEvaluation, logger });
    const pool = new RemoteWorkerPool(s, {
      inEvaluation: this.inEvaluation,
      logger,
      fragmentLength: (index) => rolloutFragmentLengthFor(s, index),
      state: this.state,
      specs: () => this.specs,
      requiredInputColumns: this.requiredInputColumns,
      transportFor,
    });
    this.pool = pool;
    if (this.stopped) {
      // stop() came while the transport connected: end what was just made.
      await pool.stop();
      return;
    }
    const info = await pool.start();
    this.remoteSpaces = { observationSpace: spaceFromJSON(info.observationSpace), actionSpace: spaceFromJSON(info.actionSpace) };
    if (this.stopped) await pool.stop();
  }

  ready(): Promise<void> {
    return this.starting;
  }

  private localWorker(): RolloutWorker {
    if (this.local === null) throw new ConfigError('The workers are not ready yet: await algorithm.ready() (or train()) first.');
    return this.local;
  }

  private remotePool(): RemoteWorkerPool {
    if (this.pool === null || this.remoteSpaces === null) {
      throw new ConfigError('The workers are not ready yet: await algorithm.ready() (or train()) first.');
    }
    return this.pool;
  }

  spaces(): Spaces | undefined {
    if (this.remoteSpaces !== null) return this.remoteSpaces;
    return this.local === null ? undefined : { observationSpace: this.local.observationSpace, actionSpace: this.local.actionSpace };
  }

  async setModules(specs: Readonly<Record<ModuleId, ModuleSpec>>): Promise<void> {
    this.specs = specs;
    if (this.local !== null) this.onLocal('setModules', (worker) => worker.setModules(specs));
    if (this.pool !== null) await this.pool.run((worker) => worker.setModules(specs));
  }

  async sample(minEnvSteps: number): Promise<SampleRound> {
    const batches: Record<ModuleId, SampleBatch<TransitionColumns>[]> = {};
    const episodes: EpisodeStats[] = [];
    const perfs: SamplerPerf[] = [];
    let envSteps = 0;
    let oldestVersion = Number.POSITIVE_INFINITY;
    const collect = (sample: {
      batches: Readonly<Record<ModuleId, SampleBatch<TransitionColumns>>>;
      episodes: EpisodeStats[];
      perf: SamplerPerf;
      weightsVersion: number;
    }) => {
      for (const [id, batch] of Object.entries(sample.batches)) {
        const list = batches[id] ?? [];
        list.push(batch);
        batches[id] = list;
        envSteps += batch.count;
      }
      episodes.push(...sample.episodes);
      perfs.push(sample.perf);
      oldestVersion = Math.min(oldestVersion, sample.weightsVersion);
    };
    if (this.settings.numRolloutWorkers === 0) {
      while (envSteps < minEnvSteps) collect(this.onLocal('sample', (worker) => worker.sample()));
    } else {
      const pool = this.remotePool();
      await pool.settle();
      while (envSteps < minEnvSteps) {
        if (pool.numHealthy === 0) await pool.settle();
        const replies = await pool.run((worker) => worker.sample());
        for (const { value } of replies) {
          const received: Record<ModuleId, SampleBatch<TransitionColumns>> = {};
          for (const [id, data] of Object.entries(value.batches))
            received[id] = SampleBatch.fromData(data) as SampleBatch<TransitionColumns>;
          collect({ ...value, batches: received });
        }
      }
    }
    const newest = this.state.version;
    const lag = oldestVersion === Number.POSITIVE_INFINITY ? 0 : Math.max(0, newest - oldestVersion);
    return { batches, episodes: sortEpisodes(episodes), envSteps, perf: meanSamplerPerf(perfs), weightVersionLag: lag };
  }

  async syncState(state: ModuleStateMessage): Promise<void> {
    const packed = this.state.publish(state);
    if (this.local !== null) this.onLocal('syncState', (worker) => worker.syncState(state));
    if (this.pool !== null) await this.pool.run((worker) => worker.syncState(packed));
  }

  async getWorkerStates(): Promise<WorkerCheckpointState[]> {
    if (this.local !== null) return [this.onLocal('getCheckpointState', (worker) => worker.getCheckpointState())];
    const replies = await this.remotePool().run((worker) => worker.getCheckpointState());
    return replies.map((reply) => reply.value);
  }

  async setWorkerStates(states: readonly WorkerCheckpointState[]): Promise<void> {
    if (this.local !== null) {
      const state = states.length === 1 ? states[0] : null;
      if (state !== null && state !== undefined)
        this.onLocal('restoreCheckpointState', (worker) => worker.restoreCheckpointState(state as RolloutWorkerState));
      return;
    }
    const pool = this.remotePool();
    if (states.length !== pool.numHealthy) return;
    await pool.run((worker, position) => {
      const state = states[position];
      return state === null || state === undefined ? null : worker.restoreCheckpointState(state);
    });
  }

  async evaluate(unit: 'episodes' | 'timesteps', duration: number): Promise<EvaluationRound> {
    if (this.settings.numRolloutWorkers === 0) {
      const { batch, ...round } = this.onLocal('evaluate', (worker) => worker.evaluate(unit, duration));
      return batch === undefined ? round : { ...round, batches: [batch] };
    }
    const pool = this.remotePool();
    await pool.settle();
    const shares = splitDuration(duration, Math.max(1, pool.numHealthy));
    const replies = await pool.run((worker, position) => {
      const share = shares[position] ?? 0;
      return share > 0 ? worker.evaluate(unit, share) : null;
    });
    const batches = replies.flatMap((r) =>
      r.value.batch === undefined ? [] : [SampleBatch.fromData(r.value.batch) as SampleBatch<TransitionColumns>],
    );
    return {
      episodes: replies.flatMap((r) => r.value.episodes),
      envSteps: replies.reduce((n, r) => n + r.value.envSteps, 0),
      ...(batches.length === 0 ? {} : { batches }),
    };
  }

  health(): WorkerHealth {
    if (this.pool !== null) return { numHealthyWorkers: this.pool.numHealthy, numRemoteWorkerRestarts: this.pool.restarts };
    return { numHealthyWorkers: this.local === null ? 0 : 1, numRemoteWorkerRestarts: 0 };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.local?.stop();
    await this.pool?.stop();
  }
}
