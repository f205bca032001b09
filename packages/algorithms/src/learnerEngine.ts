import type { BackendName } from '@loomrl/core';
import { tfjsNodeResolvable } from '@loomrl/core/internal';
import { TfBackend } from './tfBackend.js';

/** Where a learner's SGD steps run: LoomRL's WebAssembly kernels, or TensorFlow.js on a backend. */
export type LearnerEngineName = 'loomrl' | 'tfjs';

/**
 * The backend a learner computes on, chosen from `framework({ backend })`: `'loomrl'` runs LoomRL's
 * own WebAssembly SIMD kernels (no TensorFlow.js is loaded); `'tensorflow'`, `'wasm'` and `'cpu'`
 * run TensorFlow.js on that backend; `'auto'` uses tfjs-node (`'tensorflow'`) when it is installed
 * and starts, else `'loomrl'`.
 */
export class LearnerBackend {
  readonly engine: LearnerEngineName;
  /** `'loomrl'`, or the tfjs backend (`'tensorflow'`, `'wasm'`, `'cpu'`), as results report it. */
  readonly name: string;
  private readonly tf: TfBackend | null;

  private constructor(tf: TfBackend | null) {
    this.tf = tf;
    this.engine = tf === null ? 'loomrl' : 'tfjs';
    this.name = tf?.name ?? 'loomrl';
  }

  /** Chooses (and for TensorFlow.js, loads and selects) the backend for `backend`. */
  static async load(backend: BackendName): Promise<LearnerBackend> {
    if (backend === 'loomrl') return new LearnerBackend(null);
    if (backend !== 'auto') return new LearnerBackend(await TfBackend.load(backend));
    if (!tfjsNodeResolvable()) return new LearnerBackend(null);
    try {
      return new LearnerBackend(await TfBackend.load('tensorflow'));
    } catch {
      return new LearnerBackend(null);
    }
  }

  /** Makes a TensorFlow.js backend the active one again (a no-op for `'loomrl'`); call right before tensor work. */
  use(): void {
    this.tf?.use();
  }
}
