/**
 * The entry of a PPO learner helper thread (`resources({ numLearnerWorkers })` > 1): its own kernel
 * model computes the gradient of its shard of every minibatch on the weights the calling thread
 * published, into shared memory; the calling thread sums the shards and steps Adam.
 */
import { type ActorCriticSpec, serveLearnerThread, shardBounds } from '@loomrl/core/internal';
import { PPOShard } from './kernelShard.js';
import { PPO_THREAD_BEGIN, PPO_THREAD_STEP, type PPOStepBuffers, type SharedTrainBatch, trainDataOf } from './kernelShards.js';
import { PPO_STAT_NAMES, type PPOLearnerSettings, type PPOTrainData } from './learner.js';

/** What each helper is started with. */
export interface PPOLearnerThreadInit {
  readonly spec: ActorCriticSpec;
  readonly settings: PPOLearnerSettings;
  readonly shards: number;
  readonly buffers: PPOStepBuffers;
}

serveLearnerThread((raw, index) => {
  const { spec, settings, shards, buffers } = raw as PPOLearnerThreadInit;
  const size = buffers.weights.length;
  const shard = new PPOShard(spec, buffers.weights, settings, Math.ceil(settings.sgdMinibatchSize / shards));
  const grads = buffers.grads.subarray(index * size, (index + 1) * size);
  const terms = PPO_STAT_NAMES.length;
  const stats = buffers.stats.subarray(index * terms, (index + 1) * terms);
  let data: PPOTrainData | null = null;
  return (command, messages) => {
    if (command === PPO_THREAD_BEGIN) {
      const batch = messages.at(-1) as SharedTrainBatch | undefined;
      if (batch === undefined) throw new Error('PPO learner thread: BEGIN without a train batch');
      data = trainDataOf(batch);
      shard.prepare(data, Math.min(settings.sgdMinibatchSize, data.rows));
      return;
    }
    if (command !== PPO_THREAD_STEP || data === null) throw new Error(`PPO learner thread: unexpected command ${command}`);
    const [klCoeff, rows] = buffers.scalars as unknown as [number, number];
    const { start, count } = shardBounds(rows, shards, index + 1);
    shard.model.setWeights(buffers.weights);
    stats.set(shard.gradients(data, buffers.indices, start, count, rows, klCoeff));
    shard.model.copyGradientsTo(grads);
  };
});
