import type { LearnerStats, SampleBatch, TransitionColumns } from '@loomrl/core';
import type { SacFamilyLearner } from '../sac/algorithm.js';

/**
 * What CQL's algorithm needs of its learner, on either engine (`CQLLearner`, TensorFlow.js;
 * `KernelCQLLearner`, LoomRL's WebAssembly kernels): the sequential update (see `CQLLearner`),
 * its gradient-step count (RLlib's `cur_iter`, for the behaviour-cloning phase) and the
 * Lagrangian's log α′ (null without `lagrangian`).
 */
export interface CQLEngine extends SacFamilyLearner {
  /** Gradient steps so far (RLlib's `cur_iter`). */
  curIter: number;
  update(batch: SampleBatch<TransitionColumns>): LearnerStats;
  getLogAlphaPrime(): number | null;
  setLogAlphaPrime(value: number): void;
}
