import type { LinearArmsState, ModuleTensors, SampleBatch, TransitionColumns } from '@loomrl/core';
import { type BanditModel, type BanditShape, banditTensors, createBanditModel } from '@loomrl/core/internal';

/** The bandits' learner stats: rows folded in this step and their mean reward. */
export type BanditLearnerStats = {
  readonly numUpdates: number;
  readonly meanReward: number;
};

/**
 * The bandits' learner: online ridge regression, no loss to descend. Each sampled step (x, a, r)
 * folds in exactly (RLlib's bandit update):
 *
 *   Aₐ ← Aₐ + x xᵀ,  bₐ ← bₐ + r x,  θ̂ₐ = Aₐ⁻¹ bₐ   (A⁻¹ by Sherman–Morrison)
 *
 * with x the context (or, for the parametric model, the chosen candidate's item features).
 */
export class BanditLearner {
  readonly model: BanditModel;

  /** A learner with every arm at its prior λI. */
  constructor(shape: BanditShape, settings: { lambda: number; alpha: number }) {
    this.model = createBanditModel(shape, settings);
  }

  /** Folds every row of `batch` into the regression; returns the stats. */
  update(batch: SampleBatch<TransitionColumns>): BanditLearnerStats {
    const { obs, actions, rewards } = batch.columns;
    this.model.update(obs, actions, rewards);
    let total = 0;
    for (let i = 0; i < batch.count; i++) total += rewards[i] as number;
    return { numUpdates: batch.count, meanReward: batch.count === 0 ? 0 : total / batch.count };
  }

  /** The regression's tensors, as the workers' modules take them. */
  tensors(): ModuleTensors {
    return banditTensors(this.model);
  }

  /** Replaces the regression's tensors. */
  load(tensors: ModuleTensors): void {
    const { numArms, featureDim } = this.model.exportState();
    this.model.importState({ numArms, featureDim, ...(tensors as Pick<LinearArmsState, 'precision' | 'covariance' | 'b' | 'theta'>) });
  }
}
