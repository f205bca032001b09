import type { AllSettings, EpisodeStats, RolloutColumns, SampleBatchData, SamplerPerf, SpaceJSON } from '@loomrl/core';

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
}

/** The spaces of the worker's env, as JSON (spaces are class instances and do not survive structured clone). */
export interface StartedInfo {
  readonly observationSpace: SpaceJSON;
  readonly actionSpace: SpaceJSON;
}

/** One sample from a remote worker; the batch's typed arrays are transferred, not copied. */
export interface RemoteSample {
  readonly batch: SampleBatchData<RolloutColumns>;
  readonly episodes: EpisodeStats[];
  readonly perf: SamplerPerf;
  readonly weightsVersion: number;
}

/** What `evaluate` returns from a worker. */
export interface EvaluationReply {
  readonly episodes: EpisodeStats[];
  readonly envSteps: number;
}

/** Weights sent to a worker: a view over a shared buffer (broadcast) or a transferred copy. */
export interface WeightsMessage {
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  readonly length: number;
  readonly version: number;
}

/**
 * The remote RolloutWorker actor exposed through comlink. Every method is one message round
 * trip; a thrown error comes back as data (message, name, stack) and rejects the caller's promise.
 */
export interface RemoteWorkerApi {
  /** Imports the env modules, builds the envs and the sampler; returns the spaces. */
  start(): Promise<StartedInfo>;
  /** Installs new weights. */
  setWeights(message: WeightsMessage): void;
  /** One fragment (or complete episodes) of experience. */
  sample(): RemoteSample;
  /** Fresh episodes for `duration` episodes or timesteps. */
  evaluate(unit: 'episodes' | 'timesteps', duration: number): EvaluationReply;
  /** Answers at once (health probe). */
  ping(): number;
  /** Closes the envs. */
  stop(): void;
}
