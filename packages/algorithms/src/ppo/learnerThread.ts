/**
 * The entry of a PPO learner helper thread (`resources({ numLearnerWorkers })` > 1): its own kernel
 * model computes the gradient of the shards of each minibatch it claims, on the weights the calling
 * thread published, into shared memory; the calling thread sums the shards and steps Adam.
 */
import { type ActorCriticSpec, serveLearnerThread, shardBounds } from '@loomrl/core/internal';
import { PPOShard } from './kernelShard.js';
import { PPO_THREAD_BEGIN, PPO_THREAD_STEP, type PPOStepBuffers, type SharedTrainBatch, shardSlots, trainDataOf } from './kernelShards.js';
import type { PPOLearnerSettings, PPOTrainData } from './learner.js';

/** What each helper is started with. */
export interface PPOLearnerThreadInit {
  readonly spec: ActorCriticSpec;
  readonly settings: PPOLearnerSettings;
  readonly shards: number;
  readonly buffers: PPOStepBuffers;
}

serveLearnerThread((raw, helper) => {
  const { spec, settings, shards, buffers } = raw as PPOLearnerThreadInit;
  const shard = new PPOShard(spec, buffers.weights, settings, Math.ceil(settings.sgdMinibatchSize / shards));
  let received: SharedTrainBatch | null = null;
  let data: PPOTrainData | null = null;
  return (command, index, messages) => {
    received = (messages.at(-1) as SharedTrainBatch | undefined) ?? received;
    if (command === PPO_THREAD_BEGIN) {
      if (received === null) throw new Error('PPO learner thread: BEGIN without a train batch');
      data = trainDataOf(received);
      shard.prepare(data, Math.min(settings.sgdMinibatchSize, data.rows));
      return;
    }
    if (command !== PPO_THREAD_STEP || data === null) throw new Error(`PPO learner thread: unexpected command ${command}`);
    const [klCoeff, rows] = buffers.scalars as unknown as [number, number];
    const { start, count } = shardBounds(rows, shards, index);
    const slots = shardSlots(buffers, helper, index);
    shard.model.setWeights(buffers.weights);
    slots.stats.set(shard.gradients(data, buffers.indices, start, count, rows, klCoeff));
    shard.model.copyGradientsTo(slots.grads);
  };
});
