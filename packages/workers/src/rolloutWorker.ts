import {
  ActorCriticInference,
  type AllSettings,
  actorCriticSpecFor,
  Box,
  createActionAdapter,
  createRng,
  deriveIntSeed,
  type EnvContext,
  type EpisodeStats,
  entropySeed,
  loadEnvModules,
  makeEnv,
  type RolloutColumns,
  type SampleBatch,
  type SamplerPerf,
  type Space,
  SyncVectorEnv,
} from '@loomrl/core';
import { Sampler } from './sampler.js';

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

/** What one `sample()` call returns. */
export interface WorkerSample {
  readonly batch: SampleBatch<RolloutColumns>;
  readonly episodes: EpisodeStats[];
  readonly perf: SamplerPerf;
  readonly weightsVersion: number;
}

/**
 * A RolloutWorker: a vector of `numEnvsPerWorker` envs, an inference copy of the policy and a
 * sampler producing `SampleBatch`es (RLlib's `RolloutWorker`). Runs on the main thread as the local
 * worker or inside a worker thread as a remote one.
 */
export class RolloutWorker {
  readonly options: RolloutWorkerOptions;
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  readonly module: ActorCriticInference;
  private readonly vec: SyncVectorEnv;
  private readonly sampler: Sampler;
  private weightsVersion = -1;

  /** Imports the config's env modules, then builds the worker. */
  static async create(options: RolloutWorkerOptions): Promise<RolloutWorker> {
    await loadEnvModules(options.settings.envModules);
    return new RolloutWorker(options);
  }

  /** Builds the worker at once; the env must already be registered in this thread. */
  constructor(options: RolloutWorkerOptions) {
    this.options = options;
    const s = options.settings;
    const envId = s.env as string;
    const n = s.numEnvsPerWorker;
    const baseSeed = s.seed ?? entropySeed();
    const purpose = options.inEvaluation ? 'eval' : 'train';
    const envs = Array.from({ length: n }, (_, vectorIndex) => {
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
    const first = envs[0];
    if (first === undefined) throw new RangeError('numEnvsPerWorker must be >= 1');
    this.observationSpace = first.observationSpace;
    this.actionSpace = first.actionSpace;
    const boxWithoutClipping = this.actionSpace instanceof Box && !s.normalizeActions && !s.clipActions;
    this.vec = new SyncVectorEnv(envs, { validateActions: !s.disableEnvChecking && !boxWithoutClipping });
    this.module = new ActorCriticInference(actorCriticSpecFor(this.observationSpace, this.actionSpace, s.model));
    // Streams are keyed by the env's global index (worker offset + vector index), so the same
    // total number of envs gives the same numbers however they are split across workers.
    const offset = (Math.max(1, options.workerIndex) - 1) * n;
    this.sampler = new Sampler(this.vec, this.module, {
      workerIndex: options.workerIndex,
      rngs: envs.map((_, i) => createRng(baseSeed, purpose, 'actions', offset + i)),
      globalEnvOffset: offset,
      adapter: createActionAdapter(this.actionSpace, s),
      clipRewards: s.clipRewards,
      envSeeds: envs.map((_, i) => deriveIntSeed(baseSeed, purpose, 'env', offset + i)),
      envId,
    });
  }

  /** Installs new policy weights of `version`. */
  setWeights(weights: Float32Array, version: number): void {
    this.module.setWeights(weights);
    this.weightsVersion = version;
  }

  /** One batch: `fragmentLength` steps per env, or whole episodes in `'complete_episodes'` mode. */
  sample(): WorkerSample {
    const s = this.options.settings;
    const batch =
      s.batchMode === 'complete_episodes'
        ? this.sampler.sampleCompleteEpisodes(this.options.fragmentLength * s.numEnvsPerWorker, s.explore)
        : this.sampler.sampleFragment(this.options.fragmentLength, s.explore);
    return { batch, episodes: this.sampler.takeEpisodes(), perf: this.sampler.takePerf(), weightsVersion: this.weightsVersion };
  }

  /** Fresh episodes for `duration` episodes or timesteps with the config's `explore` (evaluation). */
  evaluate(unit: 'episodes' | 'timesteps', duration: number): { episodes: EpisodeStats[]; envSteps: number } {
    this.sampler.resetEpisodes();
    const round = this.sampler.run(unit, duration, this.options.settings.explore);
    this.sampler.takePerf();
    return round;
  }

  /** Closes the envs. */
  stop(): void {
    this.vec.close();
  }
}
