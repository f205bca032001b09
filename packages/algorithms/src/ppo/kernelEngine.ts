import {
  type ActorCriticSpec,
  createDistributionGradients,
  type DistributionGradients,
  KernelActorCritic,
  type OptimizerState,
} from '@loomrl/core/internal';
import { PPO_STAT_NAMES, type PPOEngine, type PPOLearnerSettings, type PPOTrainData } from './learner.js';

/** One minibatch of PPO's loss inputs, gathered row-major. */
export interface PPOMinibatch {
  readonly rows: number;
  readonly actions: Float32Array;
  readonly actionDim: number;
  readonly oldLogp: Float32Array;
  readonly oldDistInputs: Float32Array;
  readonly distDim: number;
  readonly advantages: Float32Array;
  readonly valueTargets: Float32Array;
}

/**
 * PPO's loss (see `PPOLearner`) on a minibatch's `distInputs` and `values`, in plain JS: returns
 * [total, policyLoss, vfLoss, kl, entropy] and writes the loss's gradients w.r.t. `distInputs` into
 * `dDistInputs` and w.r.t. `values` into `dValues`. Ties follow tfjs's gradients: `minimum` sends
 * the gradient to its first argument when equal, `clipByValue` passes it inside the closed range.
 */
export function ppoLossGradients(
  distribution: DistributionGradients,
  distInputs: Float32Array,
  values: Float32Array,
  mb: PPOMinibatch,
  s: PPOLearnerSettings,
  klCoeff: number,
  dDistInputs: Float32Array,
  dValues: Float32Array,
): number[] {
  const n = mb.rows;
  const terms = new Float64Array(3);
  const low = 1 - s.clipParam;
  const high = 1 + s.clipParam;
  const gEntropy = -s.entropyCoeff / n;
  const gKl = s.useKlLoss ? klCoeff / n : 0;
  let surrogateSum = 0;
  let klSum = 0;
  let entropySum = 0;
  let vfSum = 0;
  for (let r = 0; r < n; r++) {
    const at = r * mb.distDim;
    const actionAt = r * mb.actionDim;
    distribution.evaluate(distInputs, at, mb.actions, actionAt, mb.oldDistInputs, at, terms);
    const ratio = Math.exp((terms[0] as number) - (mb.oldLogp[r] as number));
    const advantage = mb.advantages[r] as number;
    const unclipped = advantage * ratio;
    const clipped = advantage * Math.min(Math.max(ratio, low), high);
    const passes = unclipped <= clipped || (ratio >= low && ratio <= high);
    surrogateSum += Math.min(unclipped, clipped);
    klSum += terms[2] as number;
    entropySum += terms[1] as number;
    const gLogp = passes ? -(advantage * ratio) / n : 0;
    distribution.backward(gLogp, gEntropy, gKl, dDistInputs, at);
    if (s.useCritic) {
      const diff = (values[r] as number) - (mb.valueTargets[r] as number);
      const squared = diff * diff;
      vfSum += Math.min(squared, s.vfClipParam);
      dValues[r] = squared <= s.vfClipParam ? (s.vfLossCoeff * 2 * diff) / n : 0;
    }
  }
  const policyLoss = -surrogateSum / n;
  const vfLoss = vfSum / n;
  const kl = klSum / n;
  const entropy = entropySum / n;
  const total = policyLoss + s.vfLossCoeff * vfLoss - s.entropyCoeff * entropy + (s.useKlLoss ? klCoeff * kl : 0);
  return [total, policyLoss, vfLoss, kl, entropy];
}

/**
 * PPO's SGD steps on LoomRL's WebAssembly dense-net kernels: minibatch rows are gathered in JS
 * straight into kernel memory, the loss head runs in plain JS (`ppoLossGradients`), the nets'
 * forward and backward passes and Adam run in SIMD kernels; no tensor library, no synchronous reads.
 */
export class KernelPPOEngine implements PPOEngine {
  readonly model: KernelActorCritic;
  private readonly distribution: DistributionGradients;
  private readonly settings: PPOLearnerSettings;
  private data: PPOTrainData | null = null;
  private mb: PPOMinibatch;
  private dDistInputs: Float32Array;
  private readonly dValues: Float32Array;
  private statSums = new Float64Array(PPO_STAT_NAMES.length);
  private steps = 0;
  private gradNormSum = 0;

  /** An engine for `spec` starting from `weights`, for minibatches of up to `settings.sgdMinibatchSize` rows. */
  constructor(spec: ActorCriticSpec, weights: Float32Array, settings: PPOLearnerSettings) {
    const rows = settings.sgdMinibatchSize;
    this.model = new KernelActorCritic(spec, weights, rows, settings.lr, settings.gradClip);
    this.distribution = createDistributionGradients(spec.dist);
    this.settings = settings;
    this.mb = this.allocateMinibatch(rows, 1, 1);
    this.dDistInputs = new Float32Array(0);
    this.dValues = new Float32Array(rows);
  }

  private allocateMinibatch(rows: number, actionDim: number, distDim: number): PPOMinibatch {
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
    const rows = Math.min(this.settings.sgdMinibatchSize, data.rows);
    if (this.mb.actionDim !== data.actionDim || this.mb.distDim !== data.distDim || this.mb.rows < rows) {
      this.mb = this.allocateMinibatch(Math.max(rows, this.mb.rows), data.actionDim, data.distDim);
      this.dDistInputs = new Float32Array(this.mb.rows * data.distDim);
    }
    this.statSums.fill(0);
    this.steps = 0;
    this.gradNormSum = 0;
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

  step(order: Int32Array, start: number, rows: number, klCoeff: number): void {
    const d = this.data;
    if (d === null) throw new Error('KernelPPOEngine.step before begin');
    const s = this.settings;
    const { distInputs, values } = this.model.forward({ data: d.obs, width: d.obsDim, indices: order, start }, rows, s.useCritic);
    const mb = this.gather(d, order, start, rows);
    const stats = ppoLossGradients(this.distribution, distInputs, values, mb, s, klCoeff, this.dDistInputs, this.dValues);
    this.model.backward(rows, this.dDistInputs, s.useCritic ? this.dValues : null);
    this.gradNormSum += this.model.optimizer.step();
    stats.forEach((v, i) => {
      this.statSums[i] = (this.statSums[i] as number) + v;
    });
    this.steps += 1;
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

  dispose(): void {}
}
