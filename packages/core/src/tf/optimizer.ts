import { ADAM_ACC_BETA1, ADAM_ACC_BETA2, type OptimizerState, readAdamState } from '../models/optimizerState.js';
import { tf } from './backend.js';

export type { OptimizerState };

/** The parts of tfjs's `AdamOptimizer` that are not in its public types. */
interface AdamInternals {
  readonly accBeta1: tf.Variable;
  readonly accBeta2: tf.Variable;
  readonly accumulatedFirstMoment: Array<{ variable: tf.Variable } | undefined>;
  readonly accumulatedSecondMoment: Array<{ variable: tf.Variable } | undefined>;
}

/**
 * Adam over a fixed list of variables with optional global-norm gradient clipping (RLlib's
 * `grad_clip` with `grad_clip_by: "global_norm"`) and a settable learning rate.
 */
export class ClippedAdam {
  private readonly optimizer: tf.AdamOptimizer;
  private readonly variables: tf.Variable[];
  private readonly gradClip: number | null;

  /** Adam with learning rate `lr` over `variables`. */
  constructor(variables: tf.Variable[], lr: number, gradClip: number | null, epsilon = 1e-7) {
    this.variables = variables;
    this.gradClip = gradClip;
    this.optimizer = tf.train.adam(lr, 0.9, 0.999, epsilon);
  }

  /** The current learning rate. */
  get learningRate(): number {
    return (this.optimizer as unknown as { learningRate: number }).learningRate;
  }

  set learningRate(lr: number) {
    (this.optimizer as unknown as { learningRate: number }).learningRate = lr;
  }

  /**
   * One step minimizing `loss()` (a scalar); returns the gradients' global norm before clipping.
   * Extra tensors the loss function keeps (via `tf.keep`) are the caller's to dispose.
   */
  step(loss: () => tf.Scalar): number {
    return tf.tidy(() => {
      const { grads, value } = tf.variableGrads(loss, this.variables);
      value.dispose();
      // A variable the loss does not read (the value net without a critic) gets a zero gradient,
      // as in the kernel learner; tfjs's Adam tracks its moments by position, so none is left out.
      const gradientOf = (v: tf.Variable) => grads[v.name] ?? tf.zerosLike(v);
      const list = this.variables.map(gradientOf);
      const globalNorm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
      const norm = globalNorm.dataSync()[0] ?? 0;
      let scale = 1;
      if (this.gradClip !== null && norm > this.gradClip) scale = this.gradClip / (norm + 1e-6);
      const named = this.variables.map((v) => {
        const grad = gradientOf(v);
        return { name: v.name, tensor: scale === 1 ? grad : tf.mul(grad, scale) };
      });
      this.optimizer.applyGradients(named);
      return norm;
    });
  }

  /** tfjs's Adam internals this class reads and restores for an exact continuation. */
  private get internals(): AdamInternals {
    return this.optimizer as unknown as AdamInternals;
  }

  /**
   * The optimizer's step count, moments and bias-correction products (`accBeta1`, `accBeta2`) as
   * plain arrays. tfjs rebuilds the products as β^(t+1) on restore, which differs from the running
   * float32 product in the last bits; storing them makes a restored run continue bit for bit.
   */
  async getState(): Promise<OptimizerState> {
    const weights = await this.optimizer.getWeights();
    const tensors = await Promise.all(
      weights.map(async ({ name, tensor }) => ({ name, shape: [...tensor.shape], values: new Float32Array(await tensor.data()) })),
    );
    const { accBeta1, accBeta2 } = this.internals;
    tensors.push({ name: ADAM_ACC_BETA1, shape: [], values: new Float32Array(await accBeta1.data()) });
    tensors.push({ name: ADAM_ACC_BETA2, shape: [], values: new Float32Array(await accBeta2.data()) });
    return { tensors };
  }

  /**
   * Restores what `getState` returned (same variables in the same order). A tensor whose count or
   * shape does not fit this optimizer's variables is a `CheckpointError` naming it.
   */
  async setState(state: OptimizerState): Promise<void> {
    const parts = readAdamState(
      state,
      this.variables.map((v) => v.shape),
    );
    const internals = this.internals;
    const previous = [...internals.accumulatedFirstMoment, ...internals.accumulatedSecondMoment];
    // tfjs's own layout: the step count first, then the moments (names do not matter to it).
    const named = [
      { name: 'iter', tensor: tf.scalar(parts.iterations, 'int32') as tf.Tensor },
      ...[...parts.firstMoments, ...parts.secondMoments].map((values, i) => ({
        name: `${i}`,
        tensor: tf.tensor(values, [...(this.variables[i % this.variables.length] as tf.Variable).shape], 'float32'),
      })),
    ];
    await this.optimizer.setWeights(named);
    for (const { tensor } of named) tensor.dispose();
    for (const moment of previous) moment?.variable.dispose();
    for (const [target, value] of [
      [internals.accBeta1, parts.accBeta1],
      [internals.accBeta2, parts.accBeta2],
    ] as const) {
      if (value !== null) tf.tidy(() => target.assign(tf.scalar(value)));
    }
  }

  /** Frees the optimizer's tensors. */
  dispose(): void {
    this.optimizer.dispose();
  }
}
