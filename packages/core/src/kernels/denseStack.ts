import type { Activation } from '../config/settings.js';
import type { DenseLayer } from '../models/layout.js';
import { activationCode, type DenseKernel, type Region } from './denseKernel.js';

/** Outputs narrower than this use dot-product kernels (SIMD across the inputs) instead of SIMD across outputs. */
const NARROW = 4;

interface StackLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** Byte addresses of the kernel `[in, out]` and bias in the weights and in the gradients. */
  readonly kernel: number;
  readonly bias: number;
  readonly kernelGrad: number;
  readonly biasGrad: number;
  readonly act: number;
  /** Pre-activations `[rows, out]` of the last forward pass. */
  readonly z: Region;
  /** Outputs `[rows, out]` of the last forward pass (the same region as `z` for a linear layer). */
  readonly y: Region;
  /** Gradient w.r.t. this layer's output (then its pre-activation, in place), `[rows, out]`. */
  readonly d: Region;
}

/**
 * A chain of dense layers of a flat weight layout, run by the WebAssembly kernels: `forward` keeps
 * every layer's pre-activations and outputs for up to `maxRows` rows, `backward` writes the
 * gradients of the loss w.r.t. each kernel and bias into the gradient region (same layout as the
 * weights) and, when asked, w.r.t. the stack's input.
 */
export class DenseStack {
  readonly maxRows: number;
  private readonly kernel: DenseKernel;
  private readonly layers: StackLayer[];
  /** Scratch for one transposed kernel (or a transposed kernel gradient). */
  private readonly scratch: Region;
  private input = 0;

  /**
   * Layers `layers` of the weights at `weights` (gradients at `grads`, or none for an inference-only
   * copy such as a target network), each with `hidden`, except the last, linear when `lastLinear`.
   */
  constructor(
    kernel: DenseKernel,
    layers: readonly DenseLayer[],
    weights: Region,
    grads: Region | null,
    hidden: Activation,
    lastLinear: boolean,
    maxRows: number,
  ) {
    this.kernel = kernel;
    this.maxRows = maxRows;
    const gradBase = grads?.address ?? 0;
    this.layers = layers.map((layer, i) => {
      const act = i === layers.length - 1 && lastLinear ? 'linear' : hidden;
      const z = kernel.alloc(maxRows * layer.outputs);
      return {
        inputs: layer.inputs,
        outputs: layer.outputs,
        kernel: weights.address + 4 * layer.kernel.offset,
        bias: weights.address + 4 * layer.bias.offset,
        kernelGrad: gradBase + 4 * layer.kernel.offset,
        biasGrad: gradBase + 4 * layer.bias.offset,
        act: activationCode(act),
        z,
        y: act === 'linear' ? z : kernel.alloc(maxRows * layer.outputs),
        d: grads === null ? z : kernel.alloc(maxRows * layer.outputs),
      };
    });
    this.scratch = kernel.alloc(Math.max(1, ...layers.map((l) => l.inputs * l.outputs)));
  }

  /** Output width (the input width for an empty stack is the caller's). */
  get outputs(): number | undefined {
    return this.layers.at(-1)?.outputs;
  }

  /** Region receiving the gradient w.r.t. the output before `backward` (the last layer's `d`). */
  get outputGrad(): Region | undefined {
    return this.layers.at(-1)?.d;
  }

  /** Runs the layers on `rows` rows at byte address `input`; returns the output's address (`input` for an empty stack). */
  forward(input: number, rows: number): number {
    if (rows > this.maxRows) throw new RangeError(`DenseStack.forward: ${rows} rows, room for ${this.maxRows}`);
    const fn = this.kernel.fn;
    this.input = input;
    let x = input;
    for (const l of this.layers) {
      if (l.outputs < NARROW) {
        fn.transpose(l.kernel, l.inputs, l.outputs, this.scratch.address);
        fn.gemmNT(x, l.inputs, this.scratch.address, l.inputs, l.z.address, l.outputs, rows, l.inputs, l.outputs, 0);
      } else {
        fn.gemm(x, l.inputs, 1, l.kernel, l.outputs, l.z.address, l.outputs, rows, l.inputs, l.outputs, 0);
      }
      fn.biasActivate(l.z.address, l.bias, l.y.address, rows, l.outputs, l.act);
      x = l.y.address;
    }
    return x;
  }

  /**
   * Back-propagates the gradient in `outputGrad` (w.r.t. the outputs of the last `forward`, `rows`
   * rows; overwritten) through the layers: sets the kernel and bias gradients and, with
   * `inputGrad`, writes (or with `accumulate` adds) the gradient w.r.t. the input there.
   */
  backward(rows: number, inputGrad: number | null, accumulate = false): void {
    const fn = this.kernel.fn;
    const scratch = this.scratch.address;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i] as StackLayer;
      const { inputs, outputs } = l;
      const d = l.d.address;
      if (l.act !== 0) fn.activationGrad(d, l.y.address, l.z.address, d, rows * outputs, l.act);
      const x = i === 0 ? this.input : (this.layers[i - 1] as StackLayer).y.address;
      if (outputs < NARROW) {
        // dWᵀ = dᵀ·x (SIMD across the inputs), then transposed into place.
        fn.gemm(d, 1, outputs, x, inputs, scratch, inputs, outputs, rows, inputs, 0);
        fn.transpose(scratch, outputs, inputs, l.kernelGrad);
      } else {
        fn.gemm(x, 1, inputs, d, outputs, l.kernelGrad, outputs, inputs, rows, outputs, 0);
      }
      fn.columnSums(d, rows, outputs, l.biasGrad, 0);
      const target = i > 0 ? (this.layers[i - 1] as StackLayer).d.address : inputGrad;
      if (target === null) continue;
      fn.transpose(l.kernel, inputs, outputs, scratch);
      fn.gemm(d, outputs, 1, scratch, inputs, target, inputs, rows, outputs, inputs, i > 0 ? 0 : accumulate ? 1 : 0);
    }
  }
}
