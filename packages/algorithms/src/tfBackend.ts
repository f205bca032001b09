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

  /** Makes this backend the active one; call right before tensor work, with no `await` in between. */
  use(): void {
    this.tf.useBackend(this.name);
  }
}
