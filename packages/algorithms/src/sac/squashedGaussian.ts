/**
 * SAC's squashed Gaussian in plain JS for the kernel learners: reparameterised samples with their
 * log-probabilities, and the gradients of a loss w.r.t. the distribution inputs (the tfjs twin is
 * `TfActor.sample`). Float32 steps where tfjs rounds, so both engines draw the same actions.
 */
import { SQUASHED_LOG_STD_MAX, SQUASHED_LOG_STD_MIN } from '@loomrl/core/internal';

const f32 = Math.fround;
const HALF_LOG_TWO_PI = f32(0.5 * Math.log(2 * Math.PI));
const SQUASH_EPSILON = f32(1e-6);

/**
 * A batch of reparameterised samples a = tanh(mean + σ·ε), σ = exp(clip(logStd, −5, 2)), from
 * distribution inputs laid out per row as `[means (dim), log-stds (dim)]`, with log π(a) =
 * Σ log N(u; mean, σ) − log(1 − a² + 1e-6) (RLlib's `SquashedGaussian.sample_logp`); `backward`
 * turns a loss's gradients w.r.t. the actions and log π into gradients w.r.t. the inputs.
 */
export class SquashedGaussianSamples {
  /** `rows × dim` actions in [-1, 1]. */
  readonly actions: Float32Array;
  /** log π(a|s) per row. */
  readonly logp: Float32Array;
  private readonly std: Float32Array;
  private readonly eps: Float32Array;
  private readonly inRange: Uint8Array;

  /** Room for `maxRows` rows of `dim`-dimensional actions. */
  constructor(
    readonly maxRows: number,
    readonly dim: number,
  ) {
    this.actions = new Float32Array(maxRows * dim);
    this.logp = new Float32Array(maxRows);
    this.std = new Float32Array(maxRows * dim);
    this.eps = new Float32Array(maxRows * dim);
    this.inRange = new Uint8Array(maxRows * dim);
  }

  /** Draws `rows` samples from `inputs` (`rows × 2·dim`) with standard normals `eps` (`rows × dim`). */
  draw(inputs: Float32Array, eps: Float32Array, rows: number): void {
    const k = this.dim;
    this.eps.set(eps.subarray(0, rows * k));
    for (let r = 0; r < rows; r++) {
      let logp = 0;
      for (let j = 0; j < k; j++) {
        const at = r * k + j;
        const mean = inputs[r * 2 * k + j] as number;
        const raw = inputs[r * 2 * k + k + j] as number;
        const logStd = Math.min(SQUASHED_LOG_STD_MAX, Math.max(SQUASHED_LOG_STD_MIN, raw));
        this.inRange[at] = raw >= SQUASHED_LOG_STD_MIN && raw <= SQUASHED_LOG_STD_MAX ? 1 : 0;
        const std = f32(Math.exp(logStd));
        const u = f32(mean + f32(std * (eps[at] as number)));
        const a = f32(Math.tanh(u));
        const z = f32(f32(u - mean) / std);
        const logN = f32(f32(f32(-0.5 * f32(z * z)) - logStd) - HALF_LOG_TWO_PI);
        logp += f32(logN - f32(Math.log(f32(f32(1 - f32(a * a)) + SQUASH_EPSILON))));
        this.std[at] = std;
        this.actions[at] = a;
      }
      this.logp[r] = logp;
    }
  }

  /**
   * Writes into `out` (`rows × 2·dim`) the gradient w.r.t. the inputs of the last `draw` of a loss
   * whose gradients are `dActions` w.r.t. the actions (`rows × dim`, or null) and `dLogp` w.r.t.
   * each row's log π. Through u = mean + σ·ε the log-density's own terms cancel except −log σ, so
   * ∂/∂mean = ∂/∂u and ∂/∂logStd = ∂/∂u · σε − ∂L/∂log π (zero where the clip is active, as in tfjs).
   */
  backward(dActions: Float32Array | null, dLogp: Float32Array, rows: number, out: Float32Array): void {
    const k = this.dim;
    for (let r = 0; r < rows; r++) {
      const gLogp = dLogp[r] as number;
      for (let j = 0; j < k; j++) {
        const at = r * k + j;
        const a = this.actions[at] as number;
        const oneMinusA2 = f32(1 - f32(a * a));
        const dA = (dActions === null ? 0 : (dActions[at] as number)) + (gLogp * 2 * a) / (oneMinusA2 + SQUASH_EPSILON);
        const dU = dA * oneMinusA2;
        out[r * 2 * k + j] = dU;
        out[r * 2 * k + k + j] = this.inRange[at] === 1 ? dU * (this.std[at] as number) * (this.eps[at] as number) - gLogp : 0;
      }
    }
  }
}

const ACTION_CLIP = 1 - 1e-6;
const LOG_DENSITY_CLIP = 100;

/**
 * log π(a|s) of given actions (RLlib's `SquashedGaussian.logp`: u = atanh(clip(a, ±(1 − 1e-6))),
 * log N clipped to ±100 per dimension) for `rows` rows of `inputs` (`rows × 2·dim`) into `logp`;
 * with `out`, adds `scale` × its gradient w.r.t. the inputs there (u is a constant: ∂/∂mean = z/σ,
 * ∂/∂logStd = z² − 1, zero where a clip is active).
 */
export function squashedLogLikelihood(
  inputs: Float32Array,
  actions: Float32Array,
  rows: number,
  dim: number,
  logp: Float32Array,
  scale: number,
  out: Float32Array | null,
): void {
  const k = dim;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const mean = inputs[r * 2 * k + j] as number;
      const raw = inputs[r * 2 * k + k + j] as number;
      const logStd = Math.min(SQUASHED_LOG_STD_MAX, Math.max(SQUASHED_LOG_STD_MIN, raw));
      const std = f32(Math.exp(logStd));
      const clipped = Math.min(f32(ACTION_CLIP), Math.max(f32(-ACTION_CLIP), actions[r * k + j] as number));
      const u = f32(Math.atanh(clipped));
      const t = f32(Math.tanh(u));
      const z = f32(f32(u - mean) / std);
      const logN = f32(f32(f32(-0.5 * f32(z * z)) - logStd) - HALF_LOG_TWO_PI);
      sum += f32(Math.min(LOG_DENSITY_CLIP, Math.max(-LOG_DENSITY_CLIP, logN)) - f32(Math.log(f32(f32(1 - f32(t * t)) + SQUASH_EPSILON))));
      if (out === null || logN < -LOG_DENSITY_CLIP || logN > LOG_DENSITY_CLIP) continue;
      out[r * 2 * k + j] = (out[r * 2 * k + j] as number) + (scale * z) / std;
      if (raw >= SQUASHED_LOG_STD_MIN && raw <= SQUASHED_LOG_STD_MAX)
        out[r * 2 * k + k + j] = (out[r * 2 * k + k + j] as number) + scale * (z * z - 1);
    }
    logp[r] = sum;
  }
}
