import type { AllSettings } from '../config/settings.js';
import type { EpisodeStats } from '../metrics.js';
import type { ModuleId, ModuleSpec, ModuleTensors } from '../modules/spec.js';
import type { SampleBatch, TransitionColumns } from '../sampleBatch.js';
import type { Space } from '../spaces/index.js';

/** Mean milliseconds per sampler step spent in each phase (RLlib's `sampler_perf`, camelCased). */
export interface SamplerPerf {
  readonly meanEnvWaitMs: number;
  readonly meanInferenceMs: number;
  readonly meanBatchBuildingMs: number;
}

/** The learner's module state sent to the workers: named tensors per module, a version and the global timestep. */
export interface ModuleStateMessage {
  readonly version: number;
  /** Env steps sampled so far in all (exploration schedules read it). */
  readonly timestep: number;
  readonly modules: Readonly<Record<ModuleId, ModuleTensors>>;
}

/** A worker's episode state for a checkpoint (plain data, opaque to the core); `null` = its envs cannot save state. */
export type WorkerCheckpointState = Readonly<Record<string, unknown>> | null;

/** What one sampling round returns: batches from every worker (per module id) and the episodes they finished. */
export interface SampleRound {
  readonly batches: Readonly<Record<ModuleId, SampleBatch<TransitionColumns>[]>>;
  readonly episodes: EpisodeStats[];
  readonly envSteps: number;
  readonly perf: SamplerPerf;
  /** Newest weights version minus the oldest version any batch was sampled with. */
  readonly weightVersionLag: number;
}

/** What an evaluation round returns. */
export interface EvaluationRound {
  readonly episodes: EpisodeStats[];
  readonly envSteps: number;
  /** The rows read when the evaluation input is offline data (one batch per worker), for off-policy estimation. */
  readonly batches?: SampleBatch<TransitionColumns>[];
}

/** Worker health as results report it. */
export interface WorkerHealth {
  readonly numHealthyWorkers: number;
  readonly numRemoteWorkerRestarts: number;
}

/**
 * A set of env runners (the local worker plus remote worker threads), as the Algorithm drives it.
 * `@loomrl/workers`' `WorkerSet` implements it; the core never starts threads itself.
 */
export interface EnvRunnerGroup {
  /** Resolves when every worker is up (env modules imported, envs built); rejects naming the worker and the cause. */
  ready(): Promise<void>;
  /** The single-env spaces (available after `ready()`, or at once when the env is registered in this thread). */
  spaces(): { observationSpace: Space<unknown>; actionSpace: Space<unknown> } | undefined;
  /** Builds the modules the workers act with (plain-data specs, built by each thread's kind registry). */
  setModules(specs: Readonly<Record<ModuleId, ModuleSpec>>): Promise<void>;
  /** Sends the learner's module state (named tensors, version, global timestep) to every worker. */
  syncState(state: ModuleStateMessage): Promise<void>;
  /** Samples at least `minEnvSteps` env steps across the healthy workers. */
  sample(minEnvSteps: number): Promise<SampleRound>;
  /** Every worker's episode state (local worker first, then remote workers by index), for a checkpoint. */
  getWorkerStates(): Promise<WorkerCheckpointState[]>;
  /** Restores what `getWorkerStates` returned; a count mismatch or `null` entry leaves those workers' episodes fresh. */
  setWorkerStates(states: readonly WorkerCheckpointState[]): Promise<void>;
  /** Runs the policy (with `explore` from the config) for `duration` episodes or timesteps. */
  evaluate(unit: 'episodes' | 'timesteps', duration: number): Promise<EvaluationRound>;
  health(): WorkerHealth;
  /** Ends every worker; safe to call twice. */
  stop(): Promise<void>;
}

/** Builds the env runners for a config; `inEvaluation` marks the evaluation set. */
export type EnvRunnerGroupFactory = (
  settings: AllSettings,
  options: {
    readonly inEvaluation: boolean;
    readonly seedOffset?: string;
    /** Our names of the columns every line of offline input must have (the algorithm's and the estimators' needs). */
    readonly requiredInputColumns?: readonly string[];
  },
) => EnvRunnerGroup;
