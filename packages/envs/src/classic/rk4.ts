/** The time derivative of a state vector (time-invariant). */
export type Derivative = (state: readonly number[]) => number[];

/** One classic fourth-order Runge–Kutta step of size `dt` from `state`. */
export function rk4Step(derivative: Derivative, state: readonly number[], dt: number): number[] {
  const offset = (base: readonly number[], slope: readonly number[], h: number) => base.map((v, i) => v + h * (slope[i] ?? 0));
  const k1 = derivative(state);
  const k2 = derivative(offset(state, k1, dt / 2));
  const k3 = derivative(offset(state, k2, dt / 2));
  const k4 = derivative(offset(state, k3, dt));
  return state.map((v, i) => v + (dt / 6) * ((k1[i] ?? 0) + 2 * (k2[i] ?? 0) + 2 * (k3[i] ?? 0) + (k4[i] ?? 0)));
}
