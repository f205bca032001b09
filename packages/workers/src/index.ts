/**
 * @loomrl/workers — rollout workers: the sampler, the RolloutWorker (a vector of envs plus an
 * inference copy of the policy) and the WorkerSet that owns the local and remote workers.
 */

export { splitDuration } from './evaluationSplit.js';
export { type CallTimeouts, RemoteWorker } from './remoteWorker.js';
export { RemoteWorkerPool } from './remoteWorkerPool.js';
export { RolloutWorker, type RolloutWorkerOptions, type RolloutWorkerState, type WorkerSample } from './rolloutWorker.js';
export { type RewardClip, Sampler, type SamplerOptions, type SamplerState } from './sampler.js';
export { meanSamplerPerf, SamplerPerfMeter } from './samplerPerf.js';
export { type PackedState, StateBroadcast } from './stateBroadcast.js';
export type { RemoteSample, RemoteWorkerApi, StartedInfo, WorkerInit } from './thread/protocol.js';
export { type WorkerCall, WorkerError, type WorkerFailure } from './workerError.js';
export { WorkerSet } from './workerSet.js';
