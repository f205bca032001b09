import type {
  AllSettings,
  ColumnSet,
  EpisodeStats,
  ModuleId,
  ModuleSpec,
  SampleBatchData,
  SamplerPerf,
  SpaceJSON,
  WorkerCheckpointState,
} from '@loomrl/core';
import type { PackedState } from '../stateBroadcast.js';

/** What a worker thread is started with (its `workerData`); plain data, structured-cloned. */
export interface WorkerInit {
  readonly settings: AllSettings;
  /** 1..n for remote workers (0 is the local worker on the main thread). */
  readonly workerIndex: number;
  readonly numWorkers: number;
  readonly inEvaluation: boolean;
  /** True when this thread replaces a failed worker of the same index. */
  readonly recreated: boolean;
  readonly fragmentLength: number;
  /** Our names of the columns every line of offline input must have. */
  readonly requiredInputColumns: readonly string[];
}

/** The spaces of the worker's env, as JSON (spaces are class instances and do not survive structured clone). */
export interface StartedInfo {
  readonly observationSpace: SpaceJSON;
  readonly actionSpace: SpaceJSON;
}

/** One sample from a remote worker; the batches' typed arrays are transferred, not copied. */
export interface RemoteSample {
  readonly batches: Readonly<Record<ModuleId, SampleBatchData<ColumnSet>>>;
  readonly episodes: EpisodeStats[];
  readonly perf: SamplerPerf;
  readonly weightsVersion: number;
}

/** What `evaluate` returns from a worker. */
export interface EvaluationReply {
  readonly episodes: EpisodeStats[];
  readonly envSteps: number;
  /** The rows read when the evaluation input is offline data (transferred). */
  readonly batch?: SampleBatchData<ColumnSet>;
}

/**
 * The remote RolloutWorker actor exposed through comlink. Every method is one message round
 * trip; a thrown error comes back as data (message, name, stack) and rejects the caller's promise.
 */
export interface RemoteWorkerApi {
  /** Imports the env and module-kind modules, builds the envs; returns the spaces. */
  start(): Promise<StartedInfo>;
  /** Builds the modules from their plain-data specs. */
  setModules(specs: Readonly<Record<ModuleId, ModuleSpec>>): void;
  /** Installs the learner's module state (tensors in one shared or transferred buffer). */
  syncState(state: PackedState): void;
  /** One fragment (or complete episodes) of experience. */
  sample(): RemoteSample;
  /** Fresh episodes for `duration` episodes or timesteps. */
  evaluate(unit: 'episodes' | 'timesteps', duration: number): EvaluationReply;
  /** The worker's episode state for a checkpoint. */
  getCheckpointState(): WorkerCheckpointState;
  /** Continues the episodes of a checkpoint. */
  restoreCheckpointState(state: NonNullable<WorkerCheckpointState>): void;
  /** Answers at once (health probe). */
  ping(): number;
  /** Closes the envs. */
  stop(): void;
}
