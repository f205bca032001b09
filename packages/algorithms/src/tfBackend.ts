import { type BackendName, ConfigError } from '@loomrl/core';

/** `@loomrl/core/tf`, loaded on demand (TensorFlow.js costs most of an import). */
type TfModule = typeof import('@loomrl/core/tf');

/**
 * The TensorFlow.js backend a learner computes on: `@loomrl/core/tf` is imported when the learner is
 * set up, not when `@loomrl/algorithms` is, and `use()` makes the backend active again before the
 * learner's tensor work (several algorithms may share a process).
 */
export class TfBackend {
  /** `@loomrl/core/tf`. */
  readonly tf: TfModule;
  /** The backend's name, e.g. `'wasm'`. */
  readonly name: string;

  private constructor(tf: TfModule, name: string) {
    this.tf = tf;
    this.name = name;
  }

  /** Imports tfjs and selects `backend` (`'auto'`: tfjs-node if installed, else wasm, else cpu). */
  static async load(backend: Parameters<TfModule['selectBackend']>[0]): Promise<TfBackend> {
    const tf = await import('@loomrl/core/tf');
    return new TfBackend(tf, await tf.selectBackend(backend));
  }

  /**
   * The backend of a learner that runs on TensorFlow.js only (SlateQ, Wolpertinger): `'auto'` picks
   * tfjs-node if installed, else wasm, else cpu; `'loomrl'` (LoomRL's kernels, for PPO, DQN, SAC,
   * CQL, MARWIL, BC, CRR) is a `ConfigError` naming the algorithm and the backends it takes.
   */
  static async forTfjsLearner(algorithm: string, backend: BackendName): Promise<TfBackend> {
    return TfBackend.load(tfjsLearnerBackend(algorithm, backend));
  }

  /** Makes this backend the active one; call right before tensor work, with no `await` in between. */
  use(): void {
    this.tf.useBackend(this.name);
  }
}

/**
 * The tfjs backend name for a learner that runs on TensorFlow.js only (SlateQ, Wolpertinger):
 * `backend` itself, except `'loomrl'` (LoomRL's kernels, for PPO, DQN, SAC, CQL, MARWIL, BC, CRR),
 * which is a `ConfigError` naming the algorithm and the backends it takes.
 */
export function tfjsLearnerBackend(algorithm: string, backend: BackendName): Exclude<BackendName, 'loomrl'> {
  if (backend === 'loomrl') {
    throw new ConfigError(
      `framework({ backend: 'loomrl' }): ${algorithm}'s learner runs on TensorFlow.js; use 'auto', 'tensorflow', 'wasm' or 'cpu'.`,
    );
  }
  return backend;
}
