import { type ActorCriticSpec, createDistributionGradients, type DistributionGradients, KernelActorCritic } from '@loomrl/core/internal';
import { type PPOMinibatch, ppoLossGradients } from './kernelLoss.js';
import type { PPOLearnerSettings, PPOTrainData } from './learner.js';

/**
 * PPO's gradient on some rows of a train batch, on one thread's kernel model: the rows' observations
 * and loss columns are gathered, the nets run forward, the loss head runs in plain JS and the nets
 * back-propagate into the model's gradient region. The learner thread that owns the weights then
 * steps Adam on it; in a data-parallel learner every thread runs one of these on its shard.
 */
export class PPOShard {
  readonly model: KernelActorCritic;
  private readonly distribution: DistributionGradients;
  private readonly settings: PPOLearnerSettings;
  private mb: PPOMinibatch;
  private dDistInputs: Float32Array;
  private readonly dValues: Float32Array;

  /** A shard learner for `spec` at `weights`, for up to `maxRows` rows a step. */
  constructor(spec: ActorCriticSpec, weights: Float32Array, settings: PPOLearnerSettings, maxRows: number) {
    this.model = new KernelActorCritic(spec, weights, maxRows, settings.lr, settings.gradClip);
    this.distribution = createDistributionGradients(spec.dist);
    this.settings = settings;
    this.mb = allocateMinibatch(maxRows, 1, 1);
    this.dDistInputs = new Float32Array(0);
    this.dValues = new Float32Array(maxRows);
  }

  /** Makes room for minibatches of `rows` rows of `data`'s widths. */
  prepare(data: PPOTrainData, rows: number): void {
    if (this.mb.actionDim !== data.actionDim || this.mb.distDim !== data.distDim || this.mb.rows < rows) {
      this.mb = allocateMinibatch(Math.max(rows, this.mb.rows), data.actionDim, data.distDim);
      this.dDistInputs = new Float32Array(this.mb.rows * data.distDim);
    }
  }

  /**
   * The loss's gradient on rows `order[start…start+rows)` of `data` into the model's gradient
   * region, the means taken over `meanRows` rows; returns the loss terms (`PPO_STAT_NAMES` order).
   */
  gradients(data: PPOTrainData, order: Int32Array, start: number, rows: number, meanRows: number, klCoeff: number): number[] {
    const s = this.settings;
    const { distInputs, values } = this.model.forward({ data: data.obs, width: data.obsDim, indices: order, start }, rows, s.useCritic);
    const mb = this.gather(data, order, start, rows);
    const stats = ppoLossGradients(this.distribution, distInputs, values, mb, s, klCoeff, this.dDistInputs, this.dValues, meanRows);
    this.model.backward(rows, this.dDistInputs, s.useCritic ? this.dValues : null);
    return stats;
  }

  /** Copies rows `order[start…start+rows)` of the loss columns into the minibatch arrays. */
  private gather(d: PPOTrainData, order: Int32Array, start: number, rows: number): PPOMinibatch {
    const mb = this.mb.rows === rows ? this.mb : { ...this.mb, rows };
    const { actionDim, distDim } = d;
    for (let r = 0; r < rows; r++) {
      const i = order[start + r] as number;
      for (let k = 0; k < actionDim; k++) mb.actions[r * actionDim + k] = d.actions[i * actionDim + k] as number;
      for (let k = 0; k < distDim; k++) mb.oldDistInputs[r * distDim + k] = d.oldDistInputs[i * distDim + k] as number;
      mb.oldLogp[r] = d.oldLogp[i] as number;
      mb.advantages[r] = d.advantages[i] as number;
      mb.valueTargets[r] = d.valueTargets[i] as number;
    }
    return mb;
  }
}

function allocateMinibatch(rows: number, actionDim: number, distDim: number): PPOMinibatch {
  return {
    rows,
    actions: new Float32Array(rows * actionDim),
    actionDim,
    oldLogp: new Float32Array(rows),
    oldDistInputs: new Float32Array(rows * distDim),
    distDim,
    advantages: new Float32Array(rows),
    valueTargets: new Float32Array(rows),
  };
}
