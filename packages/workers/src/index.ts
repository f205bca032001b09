/**
 * @loomrl/workers — rollout workers: the sampler, the RolloutWorker (a vector of envs plus an
 * inference copy of the policy) and the WorkerSet that owns the local and remote workers.
 */

export { splitDuration } from './evaluationSplit.js';
export type { LineContext } from './offline/decodeLine.js';
export { JsonReader, type JsonReaderOptions, readAllLines } from './offline/jsonReader.js';
export { JsonWriter, type JsonWriterOptions } from './offline/jsonWriter.js';
export { decodeNdArray, encodeNdArray, type NdArrayJSON } from './offline/ndArray.js';
export { type RecordRolloutsOptions, recordRollouts } from './offline/recordRollouts.js';
export { type CallTimeouts, RemoteWorker } from './remoteWorker.js';
export { RemoteWorkerPool } from './remoteWorkerPool.js';
export {
  RolloutWorker,
  type RolloutWorkerOptions,
  type RolloutWorkerState,
  type WorkerEvaluation,
  type WorkerSample,
} from './rolloutWorker.js';
export { type RewardClip, Sampler, type SamplerOptions, type SamplerState } from './sampler.js';
export { meanSamplerPerf, SamplerPerfMeter } from './samplerPerf.js';
export { type PackedState, StateBroadcast } from './stateBroadcast.js';
export type { RemoteSample, RemoteWorkerApi, StartedInfo, WorkerInit } from './thread/protocol.js';
export { type WorkerCall, WorkerError, type WorkerFailure } from './workerError.js';
export { WorkerSet } from './workerSet.js';
