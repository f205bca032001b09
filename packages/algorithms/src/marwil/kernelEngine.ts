import {
  type ActorCriticSpec,
  createDistributionGradients,
  type DistributionGradients,
  distInputDim,
  gatherRows,
  KernelActorCritic,
  type OptimizerState,
} from '@loomrl/core/internal';
import type { MARWILEngine, MARWILLearnerSettings, MARWILTrainData } from './learner.js';

/** One minibatch of MARWIL's loss inputs, gathered row-major (`returns` null for BC). */
export interface MARWILMinibatch {
  readonly rows: number;
  readonly actions: Float32Array;
  readonly actionDim: number;
  readonly distDim: number;
  readonly returns: Float32Array | null;
}

/**
 * MARWIL's loss (see `MARWILLearner`) on a minibatch's `distInputs` and `values`, in plain JS:
 * returns [total, policyLoss, vfLoss] and writes the loss's gradients w.r.t. `distInputs` into
 * `dDistInputs` and, unless BC, w.r.t. `values` into `dValues`. `bcLogstdCoeff` adds the mean of
 * each row's second half of distribution inputs (the log-stds), as the tfjs loss's `split` does.
 */
export function marwilLossGradients(
  distribution: DistributionGradients,
  distInputs: Float32Array,
  values: Float32Array,
  mb: MARWILMinibatch,
  weights: Float32Array | null,
  s: MARWILLearnerSettings,
  dDistInputs: Float32Array,
  dValues: Float32Array,
): number[] {
  const n = mb.rows;
  const terms = new Float64Array(3);
  const half = mb.distDim / 2;
  let policySum = 0;
  let vfSum = 0;
  for (let r = 0; r < n; r++) {
    const at = r * mb.distDim;
    distribution.evaluate(distInputs, at, mb.actions, r * mb.actionDim, distInputs, at, terms);
    let logp = terms[0] as number;
    const w = weights === null ? 1 : (weights[r] as number);
    const gLogp = -w / n;
    distribution.backward(gLogp, 0, 0, dDistInputs, at);
    if (s.bcLogstdCoeff > 0) {
      let logStdSum = 0;
      for (let k = half; k < mb.distDim; k++) {
        logStdSum += distInputs[at + k] as number;
        dDistInputs[at + k] = (dDistInputs[at + k] as number) + (gLogp * s.bcLogstdCoeff) / half;
      }
      logp += (s.bcLogstdCoeff * logStdSum) / half;
    }
    policySum += w * logp;
    if (mb.returns !== null) {
      const diff = (values[r] as number) - (mb.returns[r] as number);
      vfSum += diff * diff;
      dValues[r] = (s.vfCoeff * diff) / n;
    }
  }
  const policyLoss = -policySum / n;
  const vfLoss = (0.5 * vfSum) / n;
  return [policyLoss + s.vfCoeff * vfLoss, policyLoss, vfLoss];
}

/**
 * MARWIL's Adam steps on LoomRL's WebAssembly dense-net kernels: minibatch rows are gathered in
 * JS straight into kernel memory, one forward pass gives V(s) for the advantage weights and the
 * distribution inputs for the loss head (`marwilLossGradients`, plain JS), the backward pass and
 * Adam run in SIMD kernels. BC zeroes the value branch's gradients, as tfjs's zero-weighted term does.
 */
export class KernelMARWILEngine implements MARWILEngine {
  readonly model: KernelActorCritic;
  private readonly distribution: DistributionGradients;
  private readonly settings: MARWILLearnerSettings;
  private readonly distDim: number;
  private data: MARWILTrainData | null = null;
  private mb: MARWILMinibatch | null = null;
  private distInputs: Float32Array = new Float32Array(0);
  private valueOut: Float32Array = new Float32Array(0);
  private dDistInputs = new Float32Array(0);
  private dValues = new Float32Array(0);

  /** An engine for `spec` starting from `weights`, for minibatches of up to `settings.trainBatchSize` rows. */
  constructor(spec: ActorCriticSpec, weights: Float32Array, settings: MARWILLearnerSettings) {
    this.model = new KernelActorCritic(spec, weights, settings.trainBatchSize, settings.lr, settings.gradClip);
    this.distribution = createDistributionGradients(spec.dist);
    this.distDim = distInputDim(spec.dist);
    this.settings = settings;
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

  begin(data: MARWILTrainData, lr: number): void {
    this.model.optimizer.learningRate = lr;
    this.data = data;
  }

  forward(order: Int32Array, start: number, rows: number): Float32Array {
    const d = this.data;
    if (d === null) throw new Error('KernelMARWILEngine.forward before begin');
    const withValues = d.returns !== null;
    const { distInputs, values } = this.model.forward({ data: d.obs, width: d.obsDim, indices: order, start }, rows, withValues);
    this.distInputs = distInputs;
    this.valueOut = values;
    const actions = new Float32Array(rows * d.actionDim);
    gatherRows({ data: d.actions, width: d.actionDim, indices: order, start }, rows, actions);
    let returns: Float32Array | null = null;
    if (d.returns !== null) {
      returns = new Float32Array(rows);
      gatherRows({ data: d.returns, width: 1, indices: order, start }, rows, returns);
    }
    this.mb = { rows, actions, actionDim: d.actionDim, distDim: this.distDim, returns };
    if (this.dDistInputs.length < rows * this.distDim) {
      this.dDistInputs = new Float32Array(rows * this.distDim);
      this.dValues = new Float32Array(rows);
    }
    return withValues ? values : new Float32Array(0);
  }

  step(weights: Float32Array | null): number[] {
    const mb = this.mb;
    if (mb === null) throw new Error('KernelMARWILEngine.step before forward');
    const stats = marwilLossGradients(
      this.distribution,
      this.distInputs,
      this.valueOut,
      mb,
      weights,
      this.settings,
      this.dDistInputs,
      this.dValues,
    );
    this.model.backward(mb.rows, this.dDistInputs, mb.returns === null ? null : this.dValues);
    this.mb = null;
    return [...stats, this.model.optimizer.step()];
  }

  async getOptimizerState(): Promise<OptimizerState> {
    return this.model.optimizer.getState();
  }

  async setOptimizerState(state: OptimizerState): Promise<void> {
    this.model.optimizer.setState(state);
  }

  dispose(): void {}
}
