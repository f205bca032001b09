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
import { checkModuleTensors, createActionAdapter, loadEnvModules, loadModuleKinds, spaceFromJSON } from '@loomrl/core/internal';
import { createInput, createJsonReader } from './offline/createInput.js';
import type { InputReader } from './offline/inputReader.js';
import type { JsonReader } from './offline/jsonReader.js';
import { JsonWriter } from './offline/jsonWriter.js';
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
  /** Our names of the columns every line of offline input must have (the algorithm's needs); readers name a line without one. */
  readonly requiredInputColumns?: readonly string[];
}

/** What an evaluation returns: finished episodes (env input) or the rows read (offline input, for off-policy estimation). */
export interface WorkerEvaluation {
  readonly episodes: EpisodeStats[];
  readonly envSteps: number;
  readonly batch?: SampleBatch<TransitionColumns>;
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
  private readonly vec: SyncVectorEnv | null;
  private readonly samplerOptions: ConstructorParameters<typeof Sampler>[2] | null;
  private modules: Record<ModuleId, InferenceModule> | null = null;
  private sampler: Sampler | null = null;
  private weightsVersion = -1;
  /** Where `sample()` reads from: the env sampler, offline files, or a mix (RLlib's input reader). */
  private readonly input: InputReader;
  /** The evaluation input's reader when it is offline data (built on the first evaluation). */
  private evaluationReader: JsonReader | null = null;
  /** Writes every sampled batch when `offlineData({ output })` is set. */
  private readonly output: JsonWriter | null;
  private readonly baseSeed: number;

  /** Imports the config's env modules and module-kind modules, then builds the worker. */
  static async create(options: RolloutWorkerOptions): Promise<RolloutWorker> {
    await loadEnvModules(options.settings.envModules);
    await loadModuleKinds(options.settings.modules);
    return new RolloutWorker(options);
  }

  /** Builds the worker's envs at once (the env must already be registered in this thread) and its input and output. */
  constructor(options: RolloutWorkerOptions) {
    this.options = options;
    const s = options.settings;
    const n = s.numEnvsPerWorker;
    this.baseSeed = s.seed ?? entropySeed();
    const baseSeed = this.baseSeed;
    const purpose = options.inEvaluation ? 'eval' : 'train';
    const envId = s.env;
    this.envs =
      envId === null
        ? []
        : Array.from({ length: n }, (_, vectorIndex) => {
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
    if (first === undefined && envId !== null) throw new ConfigError('rollouts({ numEnvsPerWorker }) must be >= 1');
    const observationSpace = s.observationSpace === null ? first?.observationSpace : spaceFromJSON(s.observationSpace);
    const actionSpace = s.actionSpace === null ? first?.actionSpace : spaceFromJSON(s.actionSpace);
    if (observationSpace === undefined || actionSpace === undefined) {
      throw new ConfigError('A rollout worker without an env needs environment({ observationSpace, actionSpace }).');
    }
    this.observationSpace = observationSpace;
    this.actionSpace = actionSpace;
    if (first === undefined) {
      this.vec = null;
      this.samplerOptions = null;
    } else {
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
        envId: envId as string,
        infoMetrics: s.customMetricsFromInfo,
        timestepScale: Math.max(1, options.numWorkers),
      };
    }
    this.input = createInput(s, this.inputContext(purpose, this.vec === null ? null : { next: () => this.sampleEnvs() }));
    this.output =
      s.output === null
        ? null
        : new JsonWriter(s.output, {
            workerIndex: options.workerIndex,
            maxFileSize: s.outputMaxFileSize,
            compressColumns: new Set(s.outputCompressColumns),
            boxActions: this.actionSpace instanceof Box,
          });
  }

  private inputContext(purpose: string, sampler: InputReader | null): Parameters<typeof createInput>[1] {
    return {
      workerIndex: this.options.workerIndex,
      numWorkers: this.options.numWorkers,
      observationSpace: this.observationSpace,
      actionSpace: this.actionSpace,
      requiredColumns: this.options.requiredInputColumns ?? [],
      sampler,
      rng: (stream) => createRng(this.baseSeed, purpose, 'input', stream, this.options.workerIndex),
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
    if (this.vec === null || this.samplerOptions === null) return;
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
    if (this.vec !== null) this.requireSampler().setTimestep(message.timestep);
    this.weightsVersion = message.version;
  }

  /** One fragment from the envs: `fragmentLength` steps per env, or whole episodes in `'complete_episodes'` mode. */
  private sampleEnvs(): SampleBatch<TransitionColumns> {
    const s = this.options.settings;
    const sampler = this.requireSampler();
    return s.batchMode === 'complete_episodes'
      ? sampler.sampleCompleteEpisodes(this.options.fragmentLength * s.numEnvsPerWorker, s.explore)
      : sampler.sampleFragment(this.options.fragmentLength, s.explore);
  }

  /** One batch from the worker's input (the envs, offline files or a mix), written to the output when one is set. */
  sample(): WorkerSample {
    const batch = this.input.next();
    this.output?.write(batch);
    const sampler = this.sampler;
    return {
      batches: { [DEFAULT_MODULE_ID]: batch },
      episodes: sampler === null ? [] : sampler.takeEpisodes(),
      perf: sampler === null ? { meanEnvWaitMs: 0, meanInferenceMs: 0, meanBatchBuildingMs: 0 } : sampler.takePerf(),
      weightsVersion: this.weightsVersion,
    };
  }

  /**
   * Evaluation for `duration` episodes or timesteps with the config's `explore`: fresh episodes on
   * the envs, or — when the evaluation input is offline data — that many episodes (or rows) read
   * from it, returned as a batch for off-policy estimation.
   */
  evaluate(unit: 'episodes' | 'timesteps', duration: number): WorkerEvaluation {
    const s = this.options.settings;
    if (s.input !== 'sampler') {
      if (typeof s.input === 'object' && !Array.isArray(s.input)) {
        throw new ConfigError('Evaluation reads one offline input (files), not a mix; set evaluation({ evaluationConfig: { input } }).');
      }
      this.evaluationReader ??= createJsonReader(
        s.input === 'dataset' ? (s.inputConfig.paths as string | string[]) : (s.input as string | string[]),
        s,
        this.inputContext('eval', null),
        'evaluation input',
      );
      const batch = this.evaluationReader.read(unit, duration);
      return { episodes: [], envSteps: batch.count, batch };
    }
    const sampler = this.requireSampler();
    sampler.resetEpisodes();
    const round = sampler.run(unit, duration, s.explore);
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

  /** Closes the envs and the output file. */
  stop(): void {
    this.vec?.close();
    this.output?.close();
    this.evaluationReader?.close();
  }
}
