import {
  assertActionInSpace,
  Box,
  type BoxArray,
  Discrete,
  type Env,
  EnvError,
  type EnvSpec,
  type ResetOptions,
  type ResetResult,
  type Rng,
  type StepResult,
} from '@loomrl/core';
import { validateEnvConfig } from './envConfig.js';
import { type ClassicEnvState, captureClassicState, restoreClassicState } from './envState.js';
import { readState } from './physicalState.js';
import { readResetBounds } from './resetOptions.js';
import { resetRng } from './seeding.js';

const NAME = 'CartPole';
const GRAVITY = 9.8;
const CART_MASS = 1.0;
const POLE_MASS = 0.1;
const TOTAL_MASS = CART_MASS + POLE_MASS;
const HALF_POLE_LENGTH = 0.5;
const POLE_MASS_LENGTH = POLE_MASS * HALF_POLE_LENGTH;
const FORCE = 10.0;
const TAU = 0.02;
const X_LIMIT = 2.4;
const THETA_LIMIT = (12 * 2 * Math.PI) / 360;
const FLOAT32_MAX = 3.4028234663852886e38;

/** Keys of CartPole's `envConfig`: none (Gymnasium's CartPole has no physics options). */
export type CartPoleConfig = Readonly<Record<string, never>>;

/**
 * Gymnasium's CartPole (v0 and v1 share it): balance a pole on a cart by pushing left (action 0) or
 * right (action 1). Observation `[x, ẋ, θ, θ̇]` as a `Float32Array`; reward +1 per step including the
 * terminating one; terminates when |x| > 2.4 or |θ| > 12°. Time limits come from `makeEnv`.
 */
export class CartPoleEnv implements Env<BoxArray, number> {
  readonly observationSpace = new Box({
    low: [-2 * X_LIMIT, -FLOAT32_MAX, -2 * THETA_LIMIT, -FLOAT32_MAX],
    high: [2 * X_LIMIT, FLOAT32_MAX, 2 * THETA_LIMIT, FLOAT32_MAX],
    dtype: 'float32',
  });
  readonly actionSpace = new Discrete(2);
  spec?: EnvSpec;
  private current: [number, number, number, number] | undefined;
  private stepsBeyondTerminated: number | undefined;
  private rng: Rng | undefined;

  /** A CartPole; `envConfig` must be empty. */
  constructor(envConfig: CartPoleConfig = {}) {
    validateEnvConfig(NAME, envConfig, {});
  }

  /** The physical state `[x, ẋ, θ, θ̇]` in float64 (Gymnasium's `env.unwrapped.state`); undefined before the first reset. */
  get state(): number[] | undefined {
    return this.current === undefined ? undefined : [...this.current];
  }

  /** Sets the physical state, e.g. to start from a chosen configuration. */
  set state(value: ArrayLike<number>) {
    const [x, xDot, theta, thetaDot] = readState(NAME, value, ['x', 'xDot', 'theta', 'thetaDot']) as [number, number, number, number];
    this.current = [x, xDot, theta, thetaDot];
  }

  /** The whole state (physics, step counter after termination, random stream) as plain data, for checkpoints. */
  getState(): ClassicEnvState {
    return captureClassicState(this.current, this.rng, { stepsBeyondTerminated: this.stepsBeyondTerminated ?? null });
  }

  /** Continues from what `getState` returned. */
  setState(state: unknown): void {
    const restored = restoreClassicState(NAME, state, 4);
    this.current = restored.current as [number, number, number, number] | undefined;
    this.rng = restored.rng;
    this.stepsBeyondTerminated = restored.extra.stepsBeyondTerminated ?? undefined;
  }

  /** Draws each state value from U(low, high), by default U(−0.05, 0.05); `options` may set `low`/`high`. */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.rng = resetRng(this.rng, options?.seed, NAME);
    const { low, high } = readResetBounds(NAME, options?.options, -0.05, 0.05);
    const rng = this.rng;
    this.current = [rng.uniform(low, high), rng.uniform(low, high), rng.uniform(low, high), rng.uniform(low, high)];
    this.stepsBeyondTerminated = undefined;
    return { obs: Float32Array.from(this.current), info: {} };
  }

  /** One explicit-Euler step of τ = 0.02 s under a ±10 N push. */
  step(action: number): StepResult<Float32Array> {
    assertActionInSpace(action, this.actionSpace, `${NAME}.step`);
    if (this.current === undefined) throw new EnvError(`${NAME}.step: call reset() before step()`);
    const [x, xDot, theta, thetaDot] = this.current;
    const force = action === 1 ? FORCE : -FORCE;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
    const thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_POLE_LENGTH * (4 / 3 - (POLE_MASS * cos * cos) / TOTAL_MASS));
    const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
    const next: [number, number, number, number] = [x + TAU * xDot, xDot + TAU * xAcc, theta + TAU * thetaDot, thetaDot + TAU * thetaAcc];
    this.current = next;
    const terminated = next[0] < -X_LIMIT || next[0] > X_LIMIT || next[2] < -THETA_LIMIT || next[2] > THETA_LIMIT;
    let reward = 1;
    if (terminated) {
      // Gymnasium pays 1 on the terminating step and 0 on any step taken after it.
      if (this.stepsBeyondTerminated === undefined) this.stepsBeyondTerminated = 0;
      else {
        this.stepsBeyondTerminated += 1;
        reward = 0;
      }
    }
    return { obs: Float32Array.from(next), reward, terminated, truncated: false, info: {} };
  }
}
