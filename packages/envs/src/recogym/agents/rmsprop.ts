/**
 * PyTorch's default `optim.RMSprop` (α = 0.99, ε = 1e−8, no momentum, not centred) over one flat
 * parameter vector: `v ← α·v + (1 − α)·g²`, `θ ← θ − lr·g / (√v + ε)`. RecoGym's MF agents use it.
 */
export class RmsProp {
  /** The running mean of squared gradients. */
  readonly squareAverage: Float64Array;

  /** An optimizer for `size` parameters at learning rate `learningRate`. */
  constructor(
    size: number,
    readonly learningRate: number,
    readonly alpha = 0.99,
    readonly epsilon = 1e-8,
  ) {
    this.squareAverage = new Float64Array(size);
  }

  /** One step of `parameters` along `gradient` (same length). */
  step(parameters: Float64Array, gradient: Float64Array): void {
    const v = this.squareAverage;
    for (let i = 0; i < parameters.length; i++) {
      const g = gradient[i] as number;
      v[i] = this.alpha * (v[i] as number) + (1 - this.alpha) * g * g;
      parameters[i] = (parameters[i] as number) - (this.learningRate * g) / (Math.sqrt(v[i] as number) + this.epsilon);
    }
  }
}
