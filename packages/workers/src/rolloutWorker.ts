import {
  type AllSettings,
  Box,
  ConfigError,
  createModule,
  createRng,
  DEFAULT_MODULE_ID,
  deriveIntSeed,
  type Env,
  type EnvContext,
  type EpisodeStats,
  entropySeed,
  envHasState,
  type InferenceModule,
  type ModuleId,
  type ModuleSpec,
  type ModuleStateMessage,
  makeEnv,
  type SampleBatch,
  type SamplerPerf,
  type Space,
  SyncVectorEnv,
  type TransitionColumns,
} from '@loomrl/core';
import { checkModuleTensors, createActionAdapter, loadEnvModules, loadModuleKinds } from '@loomrl/core/internal';
import { Sampler, type SamplerState } from './sampler.js';

/** Where a rollout worker runs and what it is for. */
export interface RolloutWorkerOptions {
  readonly settings: AllSettings;
  /** 0 = the local worker; 1..n = remote workers. */
  readonly workerIndex: number;
  readonly numWorkers: number;
  readonly remote: boolean;
  readonly inEvaluation: boolean;
  readonly recreated: boolean;
  /** Steps per env per `sample()` call (resolved from `rolloutFragmentLength`). */
  readonly fragmentLength: number;
}

/** What one `sample()` call returns: one batch per module id. */
export interface WorkerSample {
  readonly batches: Readonly<Record<ModuleId, SampleBatch<TransitionColumns>>>;
  readonly episodes: EpisodeStats[];
  readonly perf: SamplerPerf;
  readonly weightsVersion: number;
}

/** A worker's episode state in a checkpoint: its sampler and every env's own state. */
export interface RolloutWorkerState {
  readonly [key: string]: unknown;
  readonly workerIndex: number;
  readonly sampler: SamplerState;
  readonly envs: unknown[];
}

/**
 * A RolloutWorker: a vector of `numEnvsPerWorker` envs, the inference module(s) the learner
 * described, and a sampler producing `SampleBatch`es (RLlib's `RolloutWorker`). It knows no
 * algorithm: modules come as plain-data specs built by the thread's kind registry, their state as
 * named tensors. Runs on the main thread as the local worker or inside a worker thread.
 */
export class RolloutWorker {
  readonly options: RolloutWorkerOptions;
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  private readonly envs: Env[];
  private readonly vec: SyncVectorEnv;
  private readonly samplerOptions: ConstructorParameters<typeof Sampler>[2];
  private modules: Record<ModuleId, InferenceModule> | null = null;
  private sampler: Sampler | null = null;
  private weightsVersion = -1;

  /** Imports the config's env modules and module-kind modules, then builds the worker. */
  static async create(options: RolloutWorkerOptions): Promise<RolloutWorker> {
    await loadEnvModules(options.settings.envModules);
    await loadModuleKinds(options.settings.modules);
    return new RolloutWorker(options);
  }

  /** Builds the worker's envs at once; the env must already be registered in this thread. */
  constructor(options: RolloutWorkerOptions) {
    this.options = options;
    const s = options.settings;
    const envId = s.env as string;
    const n = s.numEnvsPerWorker;
    const baseSeed = s.seed ?? entropySeed();
    const purpose = options.inEvaluation ? 'eval' : 'train';
    this.envs = Array.from({ length: n }, (_, vectorIndex) => {
      const context: EnvContext = {
        workerIndex: options.workerIndex,
        vectorIndex,
        numWorkers: options.numWorkers,
        remote: options.remote,
        recreatedWorker: options.recreated,
        inEvaluation: options.inEvaluation,
      };
      return makeEnv(envId, s.envConfig, context);
    });
    const first = this.envs[0];
    if (first === undefined) throw new ConfigError('rollouts({ numEnvsPerWorker }) must be >= 1');
    this.observationSpace = first.observationSpace;
    this.actionSpace = first.actionSpace;
    const boxWithoutClipping = this.actionSpace instanceof Box && !s.normalizeActions && !s.clipActions;
    this.vec = new SyncVectorEnv(this.envs, { validateActions: !s.disableEnvChecking && !boxWithoutClipping });
    // Streams are keyed by the env's global index (worker offset + vector index), so the same
    // total number of envs gives the same numbers however they are split across workers.
    const offset = (Math.max(1, options.workerIndex) - 1) * n;
    this.samplerOptions = {
      workerIndex: options.workerIndex,
      rngs: this.envs.map((_, i) => createRng(baseSeed, purpose, 'actions', offset + i)),
      globalEnvOffset: offset,
      adapter: createActionAdapter(this.actionSpace, s),
      clipRewards: s.clipRewards,
      envSeeds: this.envs.map((_, i) => deriveIntSeed(baseSeed, purpose, 'env', offset + i)),
      envId,
      infoMetrics: s.customMetricsFromInfo,
      timestepScale: Math.max(1, options.numWorkers),
    };
  }

  /** Builds the modules the learner described (one per module id; the sampler acts with `'default'`). */
  setModules(specs: Readonly<Record<ModuleId, ModuleSpec>>): void {
    const ids = Object.keys(specs);
    if (ids.length !== 1 || specs[DEFAULT_MODULE_ID] === undefined) {
      throw new ConfigError(
        `A rollout worker acts with one module, "${DEFAULT_MODULE_ID}"; got modules [${ids.join(', ')}] (multi-agent is not supported yet).`,
      );
    }
    const modules: Record<ModuleId, InferenceModule> = {};
    for (const [id, spec] of Object.entries(specs)) modules[id] = createModule(spec);
    this.modules = modules;
    const acting = modules[DEFAULT_MODULE_ID] as InferenceModule;
    if (this.sampler === null) this.sampler = new Sampler(this.vec, acting, this.samplerOptions);
    else this.sampler.setModule(acting);
  }

  /** The module acting for `id`; a `ConfigError` before `setModules`. */
  module(id: ModuleId = DEFAULT_MODULE_ID): InferenceModule {
    const module = this.modules?.[id];
    if (module === undefined)
      throw new ConfigError(`rollout worker ${this.options.workerIndex} has no module "${id}" yet (setModules first).`);
    return module;
  }

  private requireSampler(): Sampler {
    if (this.sampler === null)
      throw new ConfigError(`rollout worker ${this.options.workerIndex} was asked to sample before its modules were set.`);
    return this.sampler;
  }

  /** Installs the learner's module state of `message.version`; the sampler's exploration continues from its timestep. */
  syncState(message: ModuleStateMessage): void {
    for (const [id, tensors] of Object.entries(message.modules)) {
      const module = this.module(id);
      checkModuleTensors(module, tensors);
      module.setState(tensors);
    }
    this.requireSampler().setTimestep(message.timestep);
    this.weightsVersion = message.version;
  }

  /** One batch: `fragmentLength` steps per env, or whole episodes in `'complete_episodes'` mode. */
  sample(): WorkerSample {
    const s = this.options.settings;
    const sampler = this.requireSampler();
    const batch =
      s.batchMode === 'complete_episodes'
        ? sampler.sampleCompleteEpisodes(this.options.fragmentLength * s.numEnvsPerWorker, s.explore)
        : sampler.sampleFragment(this.options.fragmentLength, s.explore);
    return {
      batches: { [DEFAULT_MODULE_ID]: batch },
      episodes: sampler.takeEpisodes(),
      perf: sampler.takePerf(),
      weightsVersion: this.weightsVersion,
    };
  }

  /** Fresh episodes for `duration` episodes or timesteps with the config's `explore` (evaluation). */
  evaluate(unit: 'episodes' | 'timesteps', duration: number): { episodes: EpisodeStats[]; envSteps: number } {
    const sampler = this.requireSampler();
    sampler.resetEpisodes();
    const round = sampler.run(unit, duration, this.options.settings.explore);
    sampler.takePerf();
    return round;
  }

  /** The worker's episode state (sampler and envs), or `null` when an env cannot report its state. */
  getCheckpointState(): RolloutWorkerState | null {
    if (this.sampler === null || !this.envs.every(envHasState)) return null;
    return { workerIndex: this.options.workerIndex, sampler: this.sampler.getState(), envs: this.envs.map((env) => env.getState?.()) };
  }

  /** Continues the episodes `getCheckpointState` captured. */
  restoreCheckpointState(state: RolloutWorkerState): void {
    const sampler = this.requireSampler();
    if (state.envs.length !== this.envs.length) {
      throw new ConfigError(
        `rollout worker ${this.options.workerIndex}: the checkpoint holds ${state.envs.length} envs' states, this worker has ${this.envs.length}.`,
      );
    }
    this.envs.forEach((env, i) => {
      env.setState?.(state.envs[i]);
    });
    sampler.setState(state.sampler);
  }

  /** Closes the envs. */
  stop(): void {
    this.vec.close();
  }
}
