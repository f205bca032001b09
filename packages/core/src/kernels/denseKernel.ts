import type { Activation } from '../config/settings.js';
import { DENSE_KERNEL_WASM_BASE64 } from './denseKernelBinary.js';

/** The parts of the WebAssembly API used here (Node's global; not in the ES library types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The functions of the compiled kernel module (kernels/dense.ts); addresses are bytes into its memory. */
interface KernelExports {
  readonly memory: WasmMemory;
  gemm(
    a: number,
    sai: number,
    sak: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    k: number,
    n: number,
    acc: number,
  ): void;
  gemmNT(a: number, lda: number, bt: number, ldbt: number, c: number, ldc: number, m: number, k: number, n: number, acc: number): void;
  transpose(src: number, rows: number, cols: number, dst: number): void;
  biasActivate(z: number, bias: number, y: number, rows: number, n: number, act: number): void;
  activationGrad(dy: number, y: number, z: number, dz: number, len: number, act: number): void;
  columnSums(d: number, rows: number, n: number, db: number, acc: number): void;
  sumSquares(x: number, len: number): number;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    len: number,
    scale: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    oneMinusAcc1: number,
    oneMinusAcc2: number,
    negLr: number,
    epsilon: number,
  ): void;
  blend(target: number, source: number, len: number, tau: number, oneMinusTau: number): void;
  /** First byte after the module's static data (constant tables); allocations start there. */
  heapBase(): number;
}

/** The activation codes of kernels/dense.ts. */
const ACTIVATION_CODES: Record<Activation, number> = { linear: 0, tanh: 1, relu: 2, swish: 3 };

/** The code of `activation` in the kernel. */
export function activationCode(activation: Activation): number {
  return ACTIVATION_CODES[activation];
}

let compiled: object | null = null;

function kernelModule(): object {
  compiled ??= new wasm.Module(Buffer.from(DENSE_KERNEL_WASM_BASE64, 'base64'));
  return compiled;
}

const PAGE_BYTES = 65_536;

/** A float32 region of kernel memory: its byte address and length in floats. */
export interface Region {
  readonly address: number;
  readonly length: number;
}

/**
 * One instance of the dense-net kernels (WebAssembly SIMD, built from `kernels/dense.ts`) with its
 * own linear memory. Regions are allocated once, up front (the memory only grows); `f32` views the
 * whole memory as floats, `view(region)` one region.
 */
export class DenseKernel {
  readonly fn: KernelExports;
  private next: number;
  private floats: Float32Array;

  /** A fresh kernel instance with empty memory. */
  constructor() {
    this.fn = new wasm.Instance(kernelModule(), {}).exports as unknown as KernelExports;
    // Past the kernel's constant tables (static data), 16-byte aligned.
    this.next = Math.ceil(Math.max(16, this.fn.heapBase()) / 16) * 16;
    this.floats = new Float32Array(this.fn.memory.buffer);
  }

  /** Reserves `length` floats, 16-byte aligned, zero-filled. */
  alloc(length: number): Region {
    const address = this.next;
    this.next += Math.ceil((length * 4) / 16) * 16;
    const needed = Math.ceil(this.next / PAGE_BYTES) - this.fn.memory.buffer.byteLength / PAGE_BYTES;
    if (needed > 0) {
      this.fn.memory.grow(needed);
      this.floats = new Float32Array(this.fn.memory.buffer);
    }
    return { address, length };
  }

  /** The whole memory as floats (index = byte address / 4). */
  get f32(): Float32Array {
    return this.floats;
  }

  /** A view of `region` (valid until the next `alloc`). */
  view(region: Region, length = region.length): Float32Array {
    return this.floats.subarray(region.address / 4, region.address / 4 + length);
  }
}
