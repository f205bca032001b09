import { type DenseLayer, type WeightLayout, weightLayout } from '../models/layout.js';
import { type ActorCriticSpec, distInputDim } from '../models/spec.js';
import { DenseKernel, type Region } from './denseKernel.js';
import { DenseStack } from './denseStack.js';
import { KernelAdam } from './kernelAdam.js';

/** Where a minibatch's rows come from: rows `indices[start…start+rows)` (or `start…` without indices) of a row-major array. */
export interface RowSource {
  readonly data: Float32Array;
  readonly width: number;
  readonly indices: Int32Array | null;
  readonly start: number;
}

/** Copies `rows` rows of `source` into `target` (row-major, `source.width` per row). */
export function gatherRows(source: RowSource, rows: number, target: Float32Array): void {
  const { data, width, indices, start } = source;
  for (let r = 0; r < rows; r++) {
    const from = (indices === null ? start + r : (indices[start + r] as number)) * width;
    for (let k = 0; k < width; k++) target[r * width + k] = data[from + k] as number;
  }
}

/**
 * The learner's actor-critic MLP on the WebAssembly dense-net kernels: its weights live in kernel
 * memory in the flat layout of `weightLayout(spec)` (the one the inference module and checkpoints
 * use), `forward` runs the policy and value branches on up to `maxRows` rows keeping what
 * `backward` needs, and `backward` fills the gradient region that `optimizer` steps on.
 */
export class KernelActorCritic {
  readonly spec: ActorCriticSpec;
  readonly layout: WeightLayout;
  readonly maxRows: number;
  readonly optimizer: KernelAdam;
  private readonly kernel: DenseKernel;
  private readonly weights: Region;
  private readonly grads: Region;
  private readonly obs: Region;
  /** The policy branch: trunk and logits head (only the head when the trunk is shared). */
  private readonly policy: DenseStack;
  /** The shared trunk (`vfShareLayers`), or null. */
  private readonly trunk: DenseStack | null;
  private readonly value: DenseStack;
  private readonly featureGrad: Region | null;
  private readonly distDim: number;
  private readonly headDim: number;
  private readonly distInputs: Float32Array;
  private readonly valueOut: Float32Array;
  /** Room for another thread's gradients (allocated by the first `addGradients`). */
  private gradScratch: Region | null = null;

  /** A model for `spec` set to `weights`, for minibatches of up to `maxRows` rows, with Adam at `lr`. */
  constructor(spec: ActorCriticSpec, weights: Float32Array, maxRows: number, lr: number, gradClip: number | null) {
    this.spec = spec;
    this.layout = weightLayout(spec);
    this.maxRows = maxRows;
    const kernel = new DenseKernel();
    this.kernel = kernel;
    this.weights = kernel.alloc(this.layout.size);
    this.grads = kernel.alloc(this.layout.size);
    this.obs = kernel.alloc(maxRows * spec.obsDim);
    const { layout } = this;
    const stack = (layers: readonly DenseLayer[], lastLinear: boolean) =>
      new DenseStack(kernel, layers, this.weights, this.grads, spec.activation, lastLinear, maxRows);
    if (spec.vfShareLayers && layout.policyTrunk.length > 0) {
      this.trunk = stack(layout.policyTrunk, false);
      this.policy = stack([layout.logitsHead], true);
      this.value = stack([layout.valueHead], true);
      this.featureGrad = this.trunk.outputGrad ?? null;
    } else {
      this.trunk = null;
      this.policy = stack([...layout.policyTrunk, layout.logitsHead], true);
      this.value = stack([...(spec.vfShareLayers ? [] : layout.valueTrunk), layout.valueHead], true);
      this.featureGrad = null;
    }
    this.distDim = distInputDim(spec.dist);
    this.headDim = layout.logitsHead.outputs;
    this.distInputs = new Float32Array(maxRows * this.distDim);
    this.valueOut = new Float32Array(maxRows);
    this.optimizer = new KernelAdam(kernel, this.weights, this.grads, layout.entries, lr, gradClip);
    this.setWeights(weights);
  }

  /**
   * Distribution inputs (`rows × distInputDim`) and values (`rows`) of `rows` observations from
   * `source`; `withValues: false` skips the value branch. The arrays are reused by the next call.
   */
  forward(source: RowSource, rows: number, withValues = true): { distInputs: Float32Array; values: Float32Array } {
    const f32 = this.kernel.f32;
    gatherRows(source, rows, this.kernel.view(this.obs, rows * this.spec.obsDim));
    const input = this.trunk === null ? this.obs.address : this.trunk.forward(this.obs.address, rows);
    const head = this.policy.forward(input, rows) / 4;
    const distInputs = this.distInputs.subarray(0, rows * this.distDim);
    const logStd = this.layout.logStd;
    if (logStd === null) {
      distInputs.set(f32.subarray(head, head + rows * this.distDim));
    } else {
      // Free log-std: the head gives the means; the state-independent log-std fills the second half.
      const dim = logStd.size;
      const logStdAt = this.weights.address / 4 + logStd.offset;
      for (let r = 0; r < rows; r++) {
        distInputs.set(f32.subarray(head + r * dim, head + (r + 1) * dim), r * 2 * dim);
        distInputs.set(f32.subarray(logStdAt, logStdAt + dim), r * 2 * dim + dim);
      }
    }
    const values = this.valueOut.subarray(0, rows);
    if (withValues) {
      const out = this.value.forward(input, rows) / 4;
      values.set(f32.subarray(out, out + rows));
    }
    return { distInputs, values };
  }

  /**
   * Gradients of the loss into the gradient region, from its gradients w.r.t. the last forward's
   * distribution inputs (`rows × distInputDim`) and values (`rows`; null when the loss has no value term).
   */
  backward(rows: number, dDistInputs: Float32Array, dValues: Float32Array | null): void {
    const f32 = this.kernel.f32;
    const headGrad = this.policy.outputGrad as Region;
    const headAt = headGrad.address / 4;
    const logStd = this.layout.logStd;
    if (logStd === null) {
      f32.set(dDistInputs.subarray(0, rows * this.distDim), headAt);
    } else {
      const dim = logStd.size;
      const gradAt = this.grads.address / 4 + logStd.offset;
      for (let j = 0; j < dim; j++) f32[gradAt + j] = 0;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < dim; j++) {
          f32[headAt + r * dim + j] = dDistInputs[r * 2 * dim + j] as number;
          f32[gradAt + j] = (f32[gradAt + j] as number) + (dDistInputs[r * 2 * dim + dim + j] as number);
        }
      }
    }
    const featureGrad = this.featureGrad?.address ?? null;
    this.policy.backward(rows, featureGrad);
    if (dValues !== null) {
      f32.set(dValues.subarray(0, rows), (this.value.outputGrad as Region).address / 4);
      this.value.backward(rows, featureGrad, true);
    } else {
      this.zeroValueGrads();
    }
    if (this.trunk !== null) this.trunk.backward(rows, null);
  }

  private zeroValueGrads(): void {
    const f32 = this.kernel.f32;
    const base = this.grads.address / 4;
    const layers =
      this.trunk === null && !this.spec.vfShareLayers ? [...this.layout.valueTrunk, this.layout.valueHead] : [this.layout.valueHead];
    for (const layer of layers) {
      f32.fill(0, base + layer.kernel.offset, base + layer.kernel.offset + layer.kernel.size);
      f32.fill(0, base + layer.bias.offset, base + layer.bias.offset + layer.bias.size);
    }
  }

  /** V(s) of `rows` observations (any number of rows, in chunks of `maxRows`; the policy branch is skipped unless shared). */
  values(data: Float32Array, rows: number): Float32Array {
    const out = new Float32Array(rows);
    const f32 = this.kernel.f32;
    for (let start = 0; start < rows; start += this.maxRows) {
      const count = Math.min(this.maxRows, rows - start);
      gatherRows({ data, width: this.spec.obsDim, indices: null, start }, count, this.kernel.view(this.obs, count * this.spec.obsDim));
      const input = this.trunk === null ? this.obs.address : this.trunk.forward(this.obs.address, count);
      const at = this.value.forward(input, count) / 4;
      out.set(f32.subarray(at, at + count), start);
    }
    return out;
  }

  /** The head width (means only with a free log-std). */
  get headOutputs(): number {
    return this.headDim;
  }

  /** The weights as one flat array in layout order (a copy). */
  getWeights(): Float32Array {
    return this.kernel.view(this.weights).slice();
  }

  /** Sets every weight from a flat array in layout order. */
  setWeights(weights: Float32Array): void {
    if (weights.length !== this.layout.size) {
      throw new RangeError(`setWeights: expected ${this.layout.size} numbers for this model, got ${weights.length}`);
    }
    this.kernel.view(this.weights).set(weights);
  }

  /** The gradients of the last `backward` (a copy, layout order). */
  getGradients(): Float32Array {
    return this.kernel.view(this.grads).slice();
  }

  /** Writes the weights into `target` (layout order; a shared buffer other threads read). */
  copyWeightsTo(target: Float32Array): void {
    target.set(this.kernel.view(this.weights));
  }

  /** Writes the gradients of the last `backward` into `target` (layout order). */
  copyGradientsTo(target: Float32Array): void {
    target.set(this.kernel.view(this.grads));
  }

  /** Sets the gradient region from `gradients` (layout order), e.g. back to a shard's after computing another. */
  setGradients(gradients: Float32Array): void {
    this.kernel.view(this.grads).set(gradients);
  }

  /** Adds `gradients` (layout order, e.g. another thread's shard) to the gradient region, in float32 as the kernels add. */
  addGradients(gradients: Float32Array): void {
    this.gradScratch ??= this.kernel.alloc(this.layout.size);
    this.kernel.view(this.gradScratch).set(gradients);
    // blend(t, s, τ = 1, 1 − τ = 1) = s·1 + t·1: an exact float32 sum.
    this.kernel.fn.blend(this.grads.address, this.gradScratch.address, this.layout.size, 1, 1);
  }
}
