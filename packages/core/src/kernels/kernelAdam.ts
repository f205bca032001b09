import type { WeightEntry } from '../models/layout.js';
import { ADAM_ACC_BETA1, ADAM_ACC_BETA2, type OptimizerState, readAdamState } from '../models/optimizerState.js';
import type { DenseKernel, Region } from './denseKernel.js';

const BETA1 = 0.9;
const BETA2 = 0.999;
const f32 = Math.fround;

/**
 * Adam over a network's whole flat weight region, run by the WebAssembly kernel, with optional
 * global-norm gradient clipping (RLlib's `grad_clip`): the same float32 arithmetic, in the same
 * order, as tfjs's `AdamOptimizer` behind `ClippedAdam`, and the same checkpoint layout (`iter`,
 * first moments, second moments per layout entry, the bias-correction products), so states move
 * between the two.
 */
export class KernelAdam {
  /** The learning rate of the next step. */
  learningRate: number;
  private readonly kernel: DenseKernel;
  private readonly weights: Region;
  private readonly grads: Region;
  private readonly entries: readonly WeightEntry[];
  private readonly gradClip: number | null;
  private readonly epsilon: number;
  private readonly m: Region;
  private readonly v: Region;
  private iterations = 0;
  private accBeta1 = f32(BETA1);
  private accBeta2 = f32(BETA2);

  /** Adam at `lr` for `weights` (layout `entries`), reading gradients from `grads` (same layout). */
  constructor(
    kernel: DenseKernel,
    weights: Region,
    grads: Region,
    entries: readonly WeightEntry[],
    lr: number,
    gradClip: number | null,
    epsilon = 1e-7,
  ) {
    this.kernel = kernel;
    this.weights = weights;
    this.grads = grads;
    this.entries = entries;
    this.learningRate = lr;
    this.gradClip = gradClip;
    this.epsilon = epsilon;
    this.m = kernel.alloc(weights.length);
    this.v = kernel.alloc(weights.length);
  }

  /** One step on the gradients in the gradient region; returns their global norm before clipping. */
  step(): number {
    const fn = this.kernel.fn;
    const norm = Math.sqrt(fn.sumSquares(this.grads.address, this.grads.length));
    const scale = this.gradClip !== null && norm > this.gradClip ? this.gradClip / (norm + 1e-6) : 1;
    fn.adam(
      this.weights.address,
      this.grads.address,
      this.m.address,
      this.v.address,
      this.weights.length,
      scale,
      BETA1,
      1 - BETA1,
      BETA2,
      1 - BETA2,
      f32(1 - this.accBeta1),
      f32(1 - this.accBeta2),
      -this.learningRate,
      this.epsilon,
    );
    this.accBeta1 = f32(this.accBeta1 * f32(BETA1));
    this.accBeta2 = f32(this.accBeta2 * f32(BETA2));
    this.iterations += 1;
    return norm;
  }

  /** The step count, moments and bias-correction products, in `ClippedAdam`'s checkpoint layout. */
  getState(): OptimizerState {
    const moments = (region: Region, suffix: string) =>
      this.entries.map((e) => ({
        name: `${e.name}/${suffix}`,
        shape: [...e.shape],
        values: this.kernel.view(region).slice(e.offset, e.offset + e.size),
      }));
    return {
      tensors: [
        { name: 'iter', shape: [], values: Float32Array.of(this.iterations) },
        ...(this.iterations === 0 ? [] : [...moments(this.m, 'm'), ...moments(this.v, 'v')]),
        { name: ADAM_ACC_BETA1, shape: [], values: Float32Array.of(this.accBeta1) },
        { name: ADAM_ACC_BETA2, shape: [], values: Float32Array.of(this.accBeta2) },
      ],
    };
  }

  /** Restores what `getState` (or `ClippedAdam.getState`) returned; a misfit is a `CheckpointError`. */
  setState(state: OptimizerState): void {
    const parts = readAdamState(
      state,
      this.entries.map((e) => e.shape),
    );
    const m = this.kernel.view(this.m);
    const v = this.kernel.view(this.v);
    m.fill(0);
    v.fill(0);
    this.entries.forEach((e, i) => {
      const first = parts.firstMoments[i];
      const second = parts.secondMoments[i];
      if (first !== undefined) m.set(first, e.offset);
      if (second !== undefined) v.set(second, e.offset);
    });
    this.iterations = parts.iterations;
    // As tfjs does on restore when the products were not stored: β^(t+1).
    this.accBeta1 = f32(parts.accBeta1 ?? BETA1 ** (parts.iterations + 1));
    this.accBeta2 = f32(parts.accBeta2 ?? BETA2 ** (parts.iterations + 1));
  }
}
