import { CheckpointError } from '../errors.js';

/** Plain-data optimizer state for checkpoints. */
export interface OptimizerState {
  readonly tensors: ReadonlyArray<{ readonly name: string; readonly shape: readonly number[]; readonly values: Float32Array }>;
}

/** Names of Adam's running bias-correction products β₁ᵗ⁺¹ and β₂ᵗ⁺¹ in an `OptimizerState`. */
export const ADAM_ACC_BETA1 = 'loomrl/accBeta1';
export const ADAM_ACC_BETA2 = 'loomrl/accBeta2';

/** An Adam state split into its parts: the step count, the moments (empty before the first step) and the products. */
export interface AdamStateParts {
  readonly iterations: number;
  readonly firstMoments: ReadonlyArray<Float32Array>;
  readonly secondMoments: ReadonlyArray<Float32Array>;
  readonly accBeta1: number | null;
  readonly accBeta2: number | null;
}

/**
 * Reads an Adam `OptimizerState` in tfjs's layout — the step count (`iter`), then one first moment
 * per variable, then one second moment per variable (none before the first step), plus the
 * bias-correction products by name — for variables of `shapes`. Moments are positional (tfjs's
 * variable names differ between processes). A count or shape that does not fit is a
 * `CheckpointError` naming the tensor.
 */
export function readAdamState(state: OptimizerState, shapes: ReadonlyArray<readonly number[]>): AdamStateParts {
  const products = state.tensors.filter((t) => t.name === ADAM_ACC_BETA1 || t.name === ADAM_ACC_BETA2);
  const tensors = state.tensors.filter((t) => t.name !== ADAM_ACC_BETA1 && t.name !== ADAM_ACC_BETA2);
  const n = shapes.length;
  if (tensors.length !== 1 && tensors.length !== 1 + 2 * n) {
    throw new CheckpointError(`Optimizer state has ${tensors.length} tensors; this model's Adam needs 1 or ${1 + 2 * n}.`);
  }
  tensors.forEach(({ name, shape }, i) => {
    const expected = i === 0 ? [] : [...(shapes[(i - 1) % n] as readonly number[])];
    if (JSON.stringify([...shape]) !== JSON.stringify(expected)) {
      throw new CheckpointError(
        `Optimizer tensor ${i} ("${name}") has shape ${JSON.stringify(shape)}; this model needs ${JSON.stringify(expected)}.`,
      );
    }
  });
  const product = (name: string) => products.find((t) => t.name === name)?.values[0] ?? null;
  const moments = tensors.slice(1).map((t) => t.values);
  return {
    iterations: tensors[0]?.values[0] ?? 0,
    firstMoments: moments.slice(0, n),
    secondMoments: moments.slice(n),
    accBeta1: product(ADAM_ACC_BETA1),
    accBeta2: product(ADAM_ACC_BETA2),
  };
}
