import { CheckpointError, type ColumnSet, DataError, type Rng, type SampleBatch, scheduledValue } from '@loomrl/core';
import { describeValue } from '@loomrl/core/internal';
import type { ReplayColumns } from './columns.js';
import { type ReplayBufferConfig, resolveReplayBufferConfig } from './config.js';
import type { ReplaySampleOptions } from './replayBuffer.js';
import type { RingStorageState } from './ringStorage.js';
import { MinSegmentTree, SumSegmentTree } from './segmentTree.js';
import { checkSampleRequest, checkStateKind, StoredRows } from './storedRows.js';

/** The options of a prioritized buffer: `replayBufferConfig` without `type`. */
export type PrioritizedReplayOptions = Partial<Omit<ReplayBufferConfig, 'type'>>;

/** The plain-data state of a `PrioritizedReplayBuffer`: the rows, the trees' leaves and the max priority. */
export interface PrioritizedReplayBufferState extends RingStorageState {
  readonly kind: 'PrioritizedReplayBuffer';
  /** The largest priority p seen so far; new rows get pᵅ of it. */
  readonly maxPriority: number;
  /** The leaves pᵅ of rows `[0, size)`, shared by the sum and min trees, which are rebuilt from them bit for bit. */
  readonly priorityLeaves: Float64Array;
}

/**
 * Prioritized experience replay (Schaul et al. 2016; RLlib's `PrioritizedReplayBuffer`). Row i is
 * drawn with probability P(i) = pᵢᵅ / Σⱼ pⱼᵅ via a sum tree; new rows get the largest priority seen
 * so far (initially 1). Each sample carries importance weights wᵢ = (N·P(i))^−β / maxⱼ wⱼ, the max
 * taken from a min tree over all N stored rows, so weights are ≤ 1. `updatePriorities` sets
 * p = |δ| + ε from TD errors δ. β can anneal linearly to `finalPrioritizedReplayBeta`.
 */
export class PrioritizedReplayBuffer<C extends ColumnSet = ColumnSet> extends StoredRows {
  /** Priority exponent α (RLlib `prioritized_replay_alpha`). */
  readonly alpha: number;
  /** Importance-sampling exponent β at timestep 0 (RLlib `prioritized_replay_beta`). */
  readonly beta: number;
  /** ε added to |δ| (RLlib `prioritized_replay_eps`). */
  readonly eps: number;
  /** β after `betaAnnealingTimesteps` (RLlib `final_prioritized_replay_beta`). */
  readonly finalBeta: number;
  /** Timesteps of the linear β annealing (RLlib `prioritized_replay_beta_annealing_timesteps`). */
  readonly betaAnnealingTimesteps: number;
  private readonly sumTree: SumSegmentTree;
  private readonly minTree: MinSegmentTree;
  private maxPriority = 1;

  /** An empty buffer with RLlib's defaults for every option not given (a `ConfigError` names a bad value). */
  constructor(options: PrioritizedReplayOptions = {}) {
    const config = resolveReplayBufferConfig(options);
    super(config.capacity);
    this.alpha = config.prioritizedReplayAlpha;
    this.beta = config.prioritizedReplayBeta;
    this.eps = config.prioritizedReplayEps;
    this.finalBeta = config.finalPrioritizedReplayBeta;
    this.betaAnnealingTimesteps = config.prioritizedReplayBetaAnnealingTimesteps;
    this.sumTree = new SumSegmentTree(config.capacity);
    this.minTree = new MinSegmentTree(config.capacity);
  }

  /** β at global `timestep`: linear from `beta` to `finalBeta` over `betaAnnealingTimesteps`, then constant. */
  betaAt(timestep = 0): number {
    if (!(Number.isFinite(timestep) && timestep >= 0))
      throw new DataError(`betaAt: timestep expected a finite number >= 0, got ${timestep}`);
    if (this.betaAnnealingTimesteps === 0) return this.finalBeta;
    return scheduledValue(
      [
        [0, this.beta],
        [this.betaAnnealingTimesteps, this.finalBeta],
      ],
      timestep,
    );
  }

  /** Copies the batch's rows in (see `ReplayBuffer.add`); each new row gets the max priority seen so far. */
  add(batch: SampleBatch<C>): void {
    const { start, count } = this.storage.write(batch);
    const leaf = this.maxPriority ** this.alpha;
    const end = Math.min(start + count, this.capacity);
    const wrapped = count - (end - start);
    this.sumTree.fill(start, end, leaf);
    this.minTree.fill(start, end, leaf);
    this.sumTree.fill(0, wrapped, leaf);
    this.minTree.fill(0, wrapped, leaf);
  }

  /**
   * `numRows` rows drawn with replacement with probability ∝ pᵅ, copied, with `batchIndexes` and
   * importance `weights` for β at `options.timestep` (β itself when not given).
   */
  sample(numRows: number, rng: Rng, options: ReplaySampleOptions = {}): SampleBatch<C & ReplayColumns> {
    checkSampleRequest(numRows, this.size, 'PrioritizedReplayBuffer');
    const beta = this.betaAt(options.timestep);
    const size = this.size;
    const total = this.sumTree.sum();
    const minLeaf = this.minTree.min();
    const sample = this.storage.allocateSample(numRows);
    const { batchIndexes, weights } = sample;
    for (let r = 0; r < numRows; r++) {
      let index = this.sumTree.findPrefixSumIndex(rng.random() * total);
      // Rounding in the inner sums can send a draw just under the total into the empty leaves.
      if (index >= size) index = size - 1;
      batchIndexes[r] = index;
      // (N·P(i))^−β / (N·P_min)^−β, with P(i) = leafᵢ / total.
      weights[r] = (minLeaf / this.sumTree.get(index)) ** beta;
    }
    return this.storage.gather(sample) as SampleBatch<C & ReplayColumns>;
  }

  /**
   * Sets the priority of each row `batchIndexes[k]` (from a sample) to |tdErrors[k]| + ε. A non-finite
   * TD error, an index outside the stored rows or a zero priority (ε = 0 and δ = 0) is a `DataError`,
   * and then no priority changes.
   */
  updatePriorities(batchIndexes: ArrayLike<number>, tdErrors: ArrayLike<number>): void {
    if (batchIndexes.length !== tdErrors.length) {
      throw new DataError(`updatePriorities: ${batchIndexes.length} batchIndexes but ${tdErrors.length} tdErrors`);
    }
    const size = this.size;
    for (let k = 0; k < batchIndexes.length; k++) {
      const index = batchIndexes[k] as number;
      if (!(Number.isInteger(index) && index >= 0 && index < size)) {
        throw new DataError(`updatePriorities: batchIndexes[${k}] = ${index} is not a stored row index in [0, ${size})`);
      }
      const priority = Math.abs(tdErrors[k] as number) + this.eps;
      if (!(Number.isFinite(priority) && priority > 0 && Number.isFinite(priority ** this.alpha))) {
        throw new DataError(
          `updatePriorities: tdErrors[${k}] = ${tdErrors[k]} gives priority ${priority} (|δ| + ε with ε = ${this.eps}); expected a finite priority > 0`,
        );
      }
    }
    for (let k = 0; k < batchIndexes.length; k++) {
      const priority = Math.abs(tdErrors[k] as number) + this.eps;
      const leaf = priority ** this.alpha;
      this.sumTree.set(batchIndexes[k] as number, leaf);
      this.minTree.set(batchIndexes[k] as number, leaf);
      if (priority > this.maxPriority) this.maxPriority = priority;
    }
  }

  /** The stored rows, the priority leaves and the max priority as plain data (copies). */
  getState(): PrioritizedReplayBufferState {
    const storage = this.storage.getState();
    return {
      kind: 'PrioritizedReplayBuffer',
      ...storage,
      maxPriority: this.maxPriority,
      priorityLeaves: this.sumTree.leaves(storage.size),
    };
  }

  /** Restores `getState()` output of a buffer with the same capacity; a `CheckpointError` says what does not fit. */
  setState(state: PrioritizedReplayBufferState): void {
    checkStateKind(state, 'PrioritizedReplayBuffer');
    const { maxPriority, priorityLeaves, size } = state;
    if (!(typeof maxPriority === 'number' && Number.isFinite(maxPriority) && maxPriority > 0)) {
      throw new CheckpointError(`PrioritizedReplayBuffer state: maxPriority ${describeValue(maxPriority)} is not a finite number > 0`);
    }
    if (!(priorityLeaves instanceof Float64Array) || priorityLeaves.length !== size) {
      throw new CheckpointError(`PrioritizedReplayBuffer state: priorityLeaves must be a Float64Array of ${describeValue(size)} values`);
    }
    const bad = priorityLeaves.findIndex((leaf) => !(Number.isFinite(leaf) && leaf > 0));
    if (bad >= 0)
      throw new CheckpointError(`PrioritizedReplayBuffer state: priorityLeaves[${bad}] = ${priorityLeaves[bad]} is not finite and > 0`);
    this.storage.setState(state);
    this.sumTree.setLeaves(priorityLeaves);
    this.minTree.setLeaves(priorityLeaves);
    this.maxPriority = maxPriority;
  }
}
