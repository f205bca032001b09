import {
  type ActorCriticSpec,
  builtFileUrl,
  type KernelActorCritic,
  LearnerThreadPool,
  type OptimizerState,
  shardBounds,
} from '@loomrl/core/internal';
import { PPOShard } from './kernelShard.js';
import { createStepBuffers, PPO_THREAD_BEGIN, PPO_THREAD_STEP, type PPOStepBuffers, shareTrainData, trainDataOf } from './kernelShards.js';
import { PPO_STAT_NAMES, type PPOEngine, type PPOLearnerSettings, type PPOTrainData } from './learner.js';
import type { PPOLearnerThreadInit } from './learnerThread.js';

export { type PPOMinibatch, ppoLossGradients } from './kernelLoss.js';

/** The helper threads of a data-parallel engine and the shared memory of its steps. */
interface Helpers {
  readonly pool: LearnerThreadPool;
  readonly buffers: PPOStepBuffers;
  batchBuffer: SharedArrayBuffer | null;
}

/**
 * PPO's SGD steps on LoomRL's WebAssembly dense-net kernels: minibatch rows are gathered in JS
 * straight into kernel memory, the loss head runs in plain JS (`ppoLossGradients`), the nets'
 * forward and backward passes and Adam run in SIMD kernels; no tensor library, no synchronous reads.
 *
 * With `learners` > 1 (`resources({ numLearnerWorkers })`) every minibatch is split into that many
 * contiguous shards (sizes depend only on the row and thread counts): this thread computes shard 0
 * while helper threads compute the others on the weights it published; the shards' gradients are
 * summed in shard order and Adam steps once, here. The same seed and thread count give the same
 * bits; a different thread count sums in a different order (float32 rounding, ~1e-7 relative).
 */
export class KernelPPOEngine implements PPOEngine {
  readonly model: KernelActorCritic;
  private readonly shard: PPOShard;
  private readonly settings: PPOLearnerSettings;
  private readonly helpers: Helpers | null;
  private data: PPOTrainData | null = null;
  private statSums = new Float64Array(PPO_STAT_NAMES.length);
  private steps = 0;
  private gradNormSum = 0;

  /** An engine for `spec` starting from `weights`, for minibatches of up to `settings.sgdMinibatchSize` rows, on this thread alone. */
  constructor(spec: ActorCriticSpec, weights: Float32Array, settings: PPOLearnerSettings, helpers: Helpers | null = null) {
    const shards = 1 + (helpers?.pool.helpers ?? 0);
    this.shard = new PPOShard(spec, weights, settings, Math.ceil(settings.sgdMinibatchSize / shards));
    this.model = this.shard.model;
    this.settings = settings;
    this.helpers = helpers;
  }

  /** An engine whose minibatches are split across `learners` threads (this one and `learners` − 1 helpers); 1 = this thread alone. */
  static async create(
    spec: ActorCriticSpec,
    weights: Float32Array,
    settings: PPOLearnerSettings,
    learners: number,
  ): Promise<KernelPPOEngine> {
    if (learners <= 1) return new KernelPPOEngine(spec, weights, settings);
    const buffers = createStepBuffers(learners - 1, settings.sgdMinibatchSize, weights.length);
    const init: PPOLearnerThreadInit = { spec, settings, shards: learners, buffers };
    const pool = await LearnerThreadPool.start(builtFileUrl(import.meta.url, './learnerThread.js'), learners - 1, () => init);
    return new KernelPPOEngine(spec, weights, settings, { pool, buffers, batchBuffer: null });
  }

  getWeights(): Float32Array {
    return this.model.getWeights();
  }

  setWeights(weights: Float32Array): void {
    this.model.setWeights(weights);
  }

  values(obs: Float32Array, rows: number): Float32Array {
    return this.model.values(obs, rows);
  }

  begin(data: PPOTrainData, lr: number): void {
    this.model.optimizer.learningRate = lr;
    this.data = data;
    const h = this.helpers;
    if (h !== null) {
      const batch = shareTrainData(data, h.batchBuffer);
      h.batchBuffer = batch.buffer;
      this.data = trainDataOf(batch);
      for (let i = 0; i < h.pool.helpers; i++) h.pool.send(i, batch);
      h.pool.dispatch(PPO_THREAD_BEGIN);
      h.pool.wait();
    }
    this.shard.prepare(this.data, Math.min(this.settings.sgdMinibatchSize, data.rows));
    this.statSums.fill(0);
    this.steps = 0;
    this.gradNormSum = 0;
  }

  step(order: Int32Array, start: number, rows: number, klCoeff: number): void {
    const d = this.data;
    if (d === null) throw new Error('KernelPPOEngine.step before begin');
    const stats =
      this.helpers === null
        ? this.shard.gradients(d, order, start, rows, rows, klCoeff)
        : this.parallelGradients(d, order, start, rows, klCoeff);
    this.gradNormSum += this.model.optimizer.step();
    stats.forEach((v, i) => {
      this.statSums[i] = (this.statSums[i] as number) + v;
    });
    this.steps += 1;
  }

  /** Publishes the step, computes shard 0 here while the helpers compute theirs, then adds their gradients and terms in shard order. */
  private parallelGradients(d: PPOTrainData, order: Int32Array, start: number, rows: number, klCoeff: number): number[] {
    const { pool, buffers } = this.helpers as Helpers;
    buffers.scalars[0] = klCoeff;
    buffers.scalars[1] = rows;
    buffers.indices.set(order.subarray(start, start + rows));
    this.model.copyWeightsTo(buffers.weights);
    pool.dispatch(PPO_THREAD_STEP);
    const { count } = shardBounds(rows, pool.helpers + 1, 0);
    const stats = this.shard.gradients(d, order, start, count, rows, klCoeff);
    pool.wait();
    const size = buffers.weights.length;
    const terms = stats.length;
    for (let h = 0; h < pool.helpers; h++) {
      this.model.addGradients(buffers.grads.subarray(h * size, (h + 1) * size));
      for (let i = 0; i < terms; i++) stats[i] = (stats[i] as number) + (buffers.stats[h * terms + i] as number);
    }
    return stats;
  }

  finish(): { means: number[]; gradNormSum: number } {
    this.data = null;
    return { means: Array.from(this.statSums, (sum) => sum / this.steps), gradNormSum: this.gradNormSum };
  }

  async getOptimizerState(): Promise<OptimizerState> {
    return this.model.optimizer.getState();
  }

  async setOptimizerState(state: OptimizerState): Promise<void> {
    this.model.optimizer.setState(state);
  }

  async dispose(): Promise<void> {
    await this.helpers?.pool.close();
  }
}
