import { LearnerError } from '@loomrl/core';
import {
  type ActorCriticSpec,
  assertBuiltFile,
  builtFileUrl,
  type KernelActorCritic,
  LearnerThreadPool,
  type OptimizerState,
  shardBounds,
} from '@loomrl/core/internal';
import { PPOShard } from './kernelShard.js';
import {
  createStepBuffers,
  PPO_THREAD_BEGIN,
  PPO_THREAD_STEP,
  type PPOStepBuffers,
  shardSlots,
  shareTrainData,
  trainDataOf,
} from './kernelShards.js';
import { PPO_STAT_NAMES, type PPOEngine, type PPOLearnerSettings, type PPOTrainData } from './learner.js';
import type { PPOLearnerThreadInit } from './learnerThread.js';

export { type PPOMinibatch, ppoLossGradients } from './kernelLoss.js';

/** The helper threads of a data-parallel engine and the shared memory of its steps. */
interface Helpers {
  readonly pool: LearnerThreadPool;
  readonly shards: number;
  readonly buffers: PPOStepBuffers;
  batchBuffer: SharedArrayBuffer | null;
  /** Shard 0's gradients while this thread computes another shard. */
  readonly ownGrads: Float32Array;
  /** Gradients and loss terms of shards 1… this thread computed itself, by shard. */
  readonly ownShards: { grads: Float32Array; stats: number[] }[];
}

/**
 * PPO's SGD steps on LoomRL's WebAssembly dense-net kernels: minibatch rows are gathered in JS
 * straight into kernel memory, the loss head runs in plain JS (`ppoLossGradients`), the nets'
 * forward and backward passes and Adam run in SIMD kernels; no tensor library, no synchronous reads.
 *
 * With `learners` > 1 (`resources({ numLearnerWorkers })`) every minibatch is split into that many
 * contiguous shards (sizes depend only on the row and thread counts): this thread computes shard 0
 * while `learners` − 1 helper threads claim the others and compute them on the weights it published
 * (this thread computes any shard no helper claimed in time, e.g. on a busy machine); the shards'
 * gradients are summed in shard order and Adam steps once, here. The same seed and thread count
 * give the same bits; another count sums in another order (float32 rounding, ~1e-7 relative).
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
    const shards = helpers?.shards ?? 1;
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
    const buffers = createStepBuffers(learners, settings.sgdMinibatchSize, weights.length);
    const init: PPOLearnerThreadInit = { spec, settings, shards: learners, buffers };
    const entry = builtFileUrl(import.meta.url, './learnerThread.js');
    assertBuiltFile(entry, "PPO's learner thread entry", (message) => new LearnerError(message, { code: 'LEARNER_THREAD_FAILED' }));
    const pool = await LearnerThreadPool.start(entry, learners - 1, () => init);
    const ownGrads = new Float32Array(weights.length);
    const ownShards = Array.from({ length: learners }, () => ({ grads: new Float32Array(weights.length), stats: [] as number[] }));
    return new KernelPPOEngine(spec, weights, settings, { pool, shards: learners, buffers, batchBuffer: null, ownGrads, ownShards });
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
      h.pool.broadcast(PPO_THREAD_BEGIN);
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

  /**
   * Publishes the step, computes shard 0 here while the helpers claim the others, takes each finished
   * shard in order (computing here any no helper claimed or finished in time), then adds shards 1…
   * to shard 0's gradient and terms in shard order.
   */
  private parallelGradients(d: PPOTrainData, order: Int32Array, start: number, rows: number, klCoeff: number): number[] {
    const { pool, shards, buffers, ownGrads, ownShards } = this.helpers as Helpers;
    buffers.scalars[0] = klCoeff;
    buffers.scalars[1] = rows;
    buffers.indices.set(order.subarray(start, start + rows));
    this.model.copyWeightsTo(buffers.weights);
    pool.shard(PPO_THREAD_STEP, shards);
    const stats = this.shard.gradients(d, order, start, shardBounds(rows, shards, 0).count, rows, klCoeff);
    const sources: { grads: Float32Array; stats: ArrayLike<number> }[] = [];
    let computedOthers = false;
    for (let k = 1; k < shards; k++) {
      const helper = pool.takeShard(k);
      if (helper >= 0) {
        sources.push(shardSlots(buffers, helper, k));
        continue;
      }
      if (!computedOthers) this.model.copyGradientsTo(ownGrads);
      computedOthers = true;
      const bounds = shardBounds(rows, shards, k);
      const own = ownShards[k] as { grads: Float32Array; stats: number[] };
      own.stats = this.shard.gradients(d, order, start + bounds.start, bounds.count, rows, klCoeff);
      this.model.copyGradientsTo(own.grads);
      sources.push(own);
    }
    pool.finishShards();
    if (computedOthers) this.model.setGradients(ownGrads);
    for (const source of sources) {
      this.model.addGradients(source.grads);
      for (let i = 0; i < stats.length; i++) stats[i] = (stats[i] as number) + (source.stats[i] as number);
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
