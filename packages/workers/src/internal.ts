/**
 * @loomrl/workers/internal — the pieces a transport for remote workers builds on (`@loomrl/nats`):
 * the handle and transport contracts the pool drives, the actor a worker process hosts, the
 * thread protocol's message types and the state encoding. Users need only `@loomrl/workers`.
 * What is here may change between minor versions.
 */

// The offline reader's and writer's building blocks (users read and write data with JsonReader,
// JsonWriter, readAllLines and offlineData()).
export { createInput, createJsonReader, type InputContext } from './offline/createInput.js';
export { decodeLine } from './offline/decodeLine.js';
export { encodeBatchLine, type LineEncoding } from './offline/encodeLine.js';
export { resolveInputFiles } from './offline/inputFiles.js';
export type { InputReader } from './offline/inputReader.js';
export { LineReader } from './offline/lineReader.js';
export { MixedInput, ShuffledInput } from './offline/mixedInputs.js';
export type { CallTimeouts } from './remoteWorker.js';
export { type PackedState, type TensorSlot, unpackState } from './stateBroadcast.js';
export type { EvaluationReply, RemoteSample, StartedInfo, WorkerInit } from './thread/protocol.js';
export { WorkerActor } from './thread/workerActor.js';
export { NATS_TRANSPORT_MODULE, type NatsTransportModule } from './transports.js';
export { reviveError, type WorkerCall, type WorkerFailure } from './workerError.js';
export type { WorkerHandle, WorkerTransport } from './workerHandle.js';
