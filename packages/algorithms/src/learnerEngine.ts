import type { BackendName } from '@loomrl/core';
import { tfjsNodeResolvable } from '@loomrl/core/internal';

/** Where a learner's SGD steps run: LoomRL's WebAssembly kernels, or TensorFlow.js on a backend. */
export type LearnerEngineName = 'loomrl' | 'tfjs';

/** The learner engine chosen for `framework({ backend })`, with the backend's name as results report it. */
export interface ChosenEngine {
  readonly engine: LearnerEngineName;
  /** `'loomrl'`, or the tfjs backend (`'tensorflow'`, `'wasm'`, `'cpu'`). */
  readonly backend: string;
  /** `@loomrl/core/tf` when the engine is tfjs (loaded only then). */
  readonly tfjs: typeof import('@loomrl/core/tf') | null;
}

/**
 * Picks the learner engine for `backend`: `'loomrl'` runs LoomRL's own WebAssembly SIMD kernels
 * (no TensorFlow.js is loaded); `'tensorflow'`, `'wasm'` and `'cpu'` run TensorFlow.js on that
 * backend; `'auto'` uses tfjs-node (`'tensorflow'`) when it is installed and starts, else `'loomrl'`.
 */
export async function chooseLearnerEngine(backend: BackendName): Promise<ChosenEngine> {
  if (backend === 'loomrl') return { engine: 'loomrl', backend: 'loomrl', tfjs: null };
  if (backend === 'auto') {
    if (!tfjsNodeResolvable()) return { engine: 'loomrl', backend: 'loomrl', tfjs: null };
    const tfjs = await import('@loomrl/core/tf');
    try {
      return { engine: 'tfjs', backend: await tfjs.selectBackend('tensorflow'), tfjs };
    } catch {
      return { engine: 'loomrl', backend: 'loomrl', tfjs: null };
    }
  }
  const tfjs = await import('@loomrl/core/tf');
  return { engine: 'tfjs', backend: await tfjs.selectBackend(backend), tfjs };
}
