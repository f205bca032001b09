/**
 * The entry file of a remote rollout worker thread (loaded from the built output): exposes a
 * `WorkerActor` over comlink on the parent port. Sample batches go back with their typed arrays
 * in the transfer list.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SampleBatch } from '@loomrl/core';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { EvaluationReply, RemoteSample, WorkerInit } from './protocol.js';
import { WorkerActor } from './workerActor.js';

if (parentPort === null) throw new Error('thread/entry.js must run inside a worker thread');

const actor = new WorkerActor(workerData as WorkerInit);

/** Marks the batches' buffers for transfer, so the main thread gets them without a copy. */
function transferSample(sample: RemoteSample): RemoteSample {
  const buffers = Object.values(sample.batches).flatMap((batch) => SampleBatch.fromData(batch).transferables());
  return Comlink.transfer(sample, buffers);
}

/** Marks an offline evaluation's rows for transfer. */
function transferEvaluation(reply: EvaluationReply): EvaluationReply {
  return reply.batch === undefined ? reply : Comlink.transfer(reply, SampleBatch.fromData(reply.batch).transferables());
}

const exposed = {
  start: () => actor.start(),
  setModules: (specs: Parameters<WorkerActor['setModules']>[0]) => actor.setModules(specs),
  syncState: (state: Parameters<WorkerActor['syncState']>[0]) => actor.syncState(state),
  sample: () => transferSample(actor.sample()),
  evaluate: (unit: 'episodes' | 'timesteps', duration: number) => transferEvaluation(actor.evaluate(unit, duration)),
  getCheckpointState: () => actor.getCheckpointState(),
  restoreCheckpointState: (state: Parameters<WorkerActor['restoreCheckpointState']>[0]) => actor.restoreCheckpointState(state),
  ping: () => actor.ping(),
  stop: () => actor.stop(),
};

Comlink.expose(exposed, nodeEndpoint(parentPort));
