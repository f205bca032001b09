import {
  choiceParameterLayout,
  type DenseKernel,
  KernelAdam,
  type OptimizerState,
  type Region,
  type SlateObservationLayout,
  type WeightEntry,
} from '@loomrl/core/internal';

/**
 * SlateQ's learned choice model on LoomRL's kernels: the logits `userᵀW·doc + w·doc + bias_p` of
 * the shown documents and the no-click logit, their softmax cross-entropy and its gradient in
 * plain JS, one `KernelAdam` step (ε = 1e-7, no clipping, as tfjs's `ClippedAdam` for it) on the
 * flat parameters (`choiceParameterLayout`, checkpointed in the tfjs learner's variable order).
 */
export class KernelChoiceModel {
  private readonly kernel: DenseKernel;
  private readonly layout: SlateObservationLayout;
  private readonly weights: Region;
  private readonly grads: Region;
  private readonly optimizer: KernelAdam;

  /** A model starting from `params`, stepping at `lr`. */
  constructor(kernel: DenseKernel, layout: SlateObservationLayout, params: Float32Array, lr: number) {
    this.kernel = kernel;
    this.layout = layout;
    const { userDim: U, docDim: D, slateSize: S } = layout;
    const at = choiceParameterLayout(layout);
    const entry = (name: string, shape: number[], offset: number, size: number): WeightEntry => ({
      name,
      shape,
      offset,
      size,
      initScale: 0,
    });
    const entries = [
      ...(U > 0 ? [entry('choice/bilinear', [U, D], at.bilinear, U * D)] : []),
      entry('choice/linear', [D], at.linear, D),
      entry('choice/positionBias', [S], at.positionBias, S),
      entry('choice/noClick', [1], at.noClick, 1),
    ];
    this.weights = kernel.alloc(at.size);
    this.grads = kernel.alloc(at.size);
    this.optimizer = new KernelAdam(kernel, this.weights, this.grads, entries, lr, null);
    this.setParams(params);
  }

  /**
   * One Adam step on the mean cross-entropy of the observed choices `labels` (the clicked position,
   * or S for no click) given the users (`rows × U`) and the shown documents (`rows × S × D`); returns the loss.
   */
  step(users: Float32Array, shown: Float32Array, labels: Int32Array): number {
    const { userDim: U, docDim: D, slateSize: S } = this.layout;
    const at = choiceParameterLayout(this.layout);
    const p = this.kernel.view(this.weights);
    const rows = labels.length;
    const grad = new Float64Array(at.size);
    const coefficients = new Float64Array(D);
    const logits = new Float64Array(S + 1);
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      for (let d = 0; d < D; d++) {
        let sum = p[at.linear + d] as number;
        for (let u = 0; u < U; u++) sum += (users[r * U + u] as number) * (p[at.bilinear + u * D + d] as number);
        coefficients[d] = sum;
      }
      for (let s = 0; s < S; s++) {
        let sum = p[at.positionBias + s] as number;
        for (let d = 0; d < D; d++) sum += (shown[(r * S + s) * D + d] as number) * (coefficients[d] as number);
        logits[s] = sum;
      }
      logits[S] = p[at.noClick] as number;
      const max = Math.max(...logits);
      let total = 0;
      for (let s = 0; s <= S; s++) total += Math.exp((logits[s] as number) - max);
      const label = labels[r] as number;
      loss -= (logits[label] as number) - max - Math.log(total);
      // d loss / d logit_s = (softmax_s − 1[s = label]) / rows, then back to the parameters.
      for (let s = 0; s <= S; s++) {
        const g = (Math.exp((logits[s] as number) - max) / total - (s === label ? 1 : 0)) / rows;
        if (s === S) {
          grad[at.noClick] = (grad[at.noClick] as number) + g;
          continue;
        }
        grad[at.positionBias + s] = (grad[at.positionBias + s] as number) + g;
        for (let d = 0; d < D; d++) {
          const gd = g * (shown[(r * S + s) * D + d] as number);
          grad[at.linear + d] = (grad[at.linear + d] as number) + gd;
          for (let u = 0; u < U; u++)
            grad[at.bilinear + u * D + d] = (grad[at.bilinear + u * D + d] as number) + gd * (users[r * U + u] as number);
        }
      }
    }
    this.kernel.view(this.grads).set(grad);
    this.optimizer.step();
    return loss / rows;
  }

  /** The flat parameters (`choiceParameterLayout`). */
  getParams(): Float32Array {
    return this.kernel.view(this.weights).slice();
  }

  /** Replaces the flat parameters. */
  setParams(params: Float32Array): void {
    if (params.length !== this.weights.length)
      throw new RangeError(`setChoiceParams: expected ${this.weights.length} numbers for this choice model, got ${params.length}`);
    this.kernel.view(this.weights).set(params);
  }

  /** The optimizer's state, in `ClippedAdam`'s layout. */
  getOptimizerState(): OptimizerState {
    return this.optimizer.getState();
  }

  /** Restores what `getOptimizerState` (or the tfjs learner's choice-model optimizer) returned. */
  setOptimizerState(state: OptimizerState): void {
    this.optimizer.setState(state);
  }
}
