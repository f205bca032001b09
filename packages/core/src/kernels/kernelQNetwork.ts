import type { DenseLayer } from '../models/layout.js';
import { type QNetworkLayout, type QNetworkSpec, qNetworkLayout } from '../models/qNetwork.js';
import { DenseKernel, type Region } from './denseKernel.js';
import { DenseStack } from './denseStack.js';
import { gatherRows, type RowSource } from './kernelActorCritic.js';
import { KernelAdam } from './kernelAdam.js';

/** The trunk and streams of one copy of the network (online or target). */
interface QStacks {
  readonly trunk: DenseStack;
  readonly advantage: DenseStack;
  readonly value: DenseStack | null;
}

/**
 * The learner's Q network (trunk, then a Q head or dueling streams with Q = V + A − mean(A)) on the
 * WebAssembly dense-net kernels: online and target weights live in kernel memory in the flat layout
 * of `qNetworkLayout(spec)`; `qValues` runs either copy on up to `maxRows` rows, `backward`
 * back-propagates a gradient w.r.t. the online Q values of the last online pass, and `optimizer`
 * steps the online weights.
 */
export class KernelQNetwork {
  readonly spec: QNetworkSpec;
  readonly layout: QNetworkLayout;
  readonly maxRows: number;
  readonly optimizer: KernelAdam;
  private readonly kernel: DenseKernel;
  private readonly online: Region;
  private readonly target: Region;
  private readonly grads: Region;
  private readonly obs: Region;
  private readonly onlineStacks: QStacks;
  private readonly targetStacks: QStacks;
  private readonly featureGrad: Region | null;
  private readonly dAdvantage: Float32Array;
  private readonly dValue: Float32Array;

  /** Online and target networks for `spec`, both set to `weights`, for up to `maxRows` rows; Adam at `lr`. */
  constructor(spec: QNetworkSpec, weights: Float32Array, maxRows: number, lr: number, gradClip: number | null, epsilon: number) {
    this.spec = spec;
    this.layout = qNetworkLayout(spec);
    this.maxRows = maxRows;
    const kernel = new DenseKernel();
    this.kernel = kernel;
    this.online = kernel.alloc(this.layout.size);
    this.target = kernel.alloc(this.layout.size);
    this.grads = kernel.alloc(this.layout.size);
    this.obs = kernel.alloc(maxRows * spec.obsDim);
    this.onlineStacks = this.stacks(this.online, this.grads);
    this.targetStacks = this.stacks(this.target, null);
    this.featureGrad = this.onlineStacks.trunk.outputGrad ?? null;
    this.dAdvantage = new Float32Array(maxRows * spec.numActions);
    this.dValue = new Float32Array(maxRows);
    this.optimizer = new KernelAdam(kernel, this.online, this.grads, this.layout.entries, lr, gradClip, epsilon);
    this.setWeights(weights);
    this.setTargetWeights(weights);
  }

  private stacks(weights: Region, grads: Region | null): QStacks {
    const { kernel, layout, spec, maxRows } = this;
    const stack = (layers: readonly DenseLayer[], hidden: QNetworkSpec['activation'], lastLinear: boolean) =>
      new DenseStack(kernel, layers, weights, grads, hidden, lastLinear, maxRows);
    return {
      trunk: stack(layout.trunk, spec.activation, false),
      advantage: stack(layout.advantage, 'relu', true),
      value: spec.dueling ? stack(layout.value, 'relu', true) : null,
    };
  }

  /**
   * Q values (`rows × numActions`, written into `out`) of `rows` observations from `source`, by the
   * online or the target network. An online pass is what the next `backward` differentiates.
   */
  qValues(which: 'online' | 'target', source: RowSource, rows: number, out: Float32Array): Float32Array {
    const f32 = this.kernel.f32;
    const stacks = which === 'online' ? this.onlineStacks : this.targetStacks;
    gatherRows(source, rows, this.kernel.view(this.obs, rows * this.spec.obsDim));
    const features = stacks.trunk.forward(this.obs.address, rows);
    const advantage = stacks.advantage.forward(features, rows) / 4;
    const n = this.spec.numActions;
    if (stacks.value === null) {
      out.set(f32.subarray(advantage, advantage + rows * n));
      return out;
    }
    const value = stacks.value.forward(features, rows) / 4;
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let a = 0; a < n; a++) sum += f32[advantage + r * n + a] as number;
      const mean = Math.fround(sum / n);
      const v = f32[value + r] as number;
      for (let a = 0; a < n; a++) out[r * n + a] = v + Math.fround((f32[advantage + r * n + a] as number) - mean);
    }
    return out;
  }

  /** Gradients of the loss w.r.t. the online weights, from its gradient `dQ` (`rows × numActions`) w.r.t. the last online pass's Q values. */
  backward(rows: number, dQ: Float32Array): void {
    const f32 = this.kernel.f32;
    const n = this.spec.numActions;
    const { advantage, value, trunk } = this.onlineStacks;
    const hasTrunk = this.layout.trunk.length > 0;
    const featureGrad = hasTrunk ? (this.featureGrad as Region).address : null;
    if (value === null) {
      f32.set(dQ.subarray(0, rows * n), (advantage.outputGrad as Region).address / 4);
    } else {
      // Q = V + A − mean(A): dV = Σₐ dQ, dA = dQ − mean(dQ).
      for (let r = 0; r < rows; r++) {
        let sum = 0;
        for (let a = 0; a < n; a++) sum += dQ[r * n + a] as number;
        this.dValue[r] = sum;
        for (let a = 0; a < n; a++) this.dAdvantage[r * n + a] = (dQ[r * n + a] as number) - sum / n;
      }
      f32.set(this.dAdvantage.subarray(0, rows * n), (advantage.outputGrad as Region).address / 4);
      f32.set(this.dValue.subarray(0, rows), (value.outputGrad as Region).address / 4);
    }
    advantage.backward(rows, featureGrad);
    value?.backward(rows, featureGrad, true);
    if (hasTrunk) trunk.backward(rows, null);
  }

  /** Moves the target weights toward the online ones: a copy when `tau` = 1, else τ·online + (1−τ)·target. */
  updateTarget(tau: number): void {
    if (tau === 1) {
      this.kernel.view(this.target).set(this.kernel.view(this.online));
      return;
    }
    this.kernel.fn.blend(this.target.address, this.online.address, this.layout.size, tau, 1 - tau);
  }

  /** The online weights (a copy, layout order). */
  getWeights(): Float32Array {
    return this.kernel.view(this.online).slice();
  }

  /** Sets the online weights from a flat array in layout order. */
  setWeights(weights: Float32Array): void {
    this.checkSize(weights);
    this.kernel.view(this.online).set(weights);
  }

  /** The target weights (a copy, layout order). */
  getTargetWeights(): Float32Array {
    return this.kernel.view(this.target).slice();
  }

  /** Sets the target weights from a flat array in layout order. */
  setTargetWeights(weights: Float32Array): void {
    this.checkSize(weights);
    this.kernel.view(this.target).set(weights);
  }

  /** The gradients of the last `backward` (a copy, layout order). */
  getGradients(): Float32Array {
    return this.kernel.view(this.grads).slice();
  }

  private checkSize(weights: Float32Array): void {
    if (weights.length !== this.layout.size) {
      throw new RangeError(`setWeights: expected ${this.layout.size} numbers for this Q network, got ${weights.length}`);
    }
  }
}
