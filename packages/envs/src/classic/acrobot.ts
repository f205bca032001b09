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
import { rk4Step } from './rk4.js';
import { resetRng } from './seeding.js';

const NAME = 'Acrobot';
const DT = 0.2;
const L1 = 1.0;
const M1 = 1.0;
const M2 = 1.0;
const LC1 = 0.5;
const LC2 = 0.5;
const I1 = 1.0;
const I2 = 1.0;
const G = 9.8;
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;
const TORQUES = [-1, 0, 1] as const;

/** Keys of Acrobot's `envConfig`: none. */
export type AcrobotConfig = Readonly<Record<string, never>>;

/**
 * The time derivative of the Acrobot state `[θ1, θ2, θ̇1, θ̇2]` under a constant `torque` on the
 * second joint ("book" dynamics of Sutton & Barto, as Gymnasium uses).
 */
export function acrobotDerivative(state: readonly number[], torque: number): number[] {
  const [theta1 = 0, theta2 = 0, dTheta1 = 0, dTheta2 = 0] = state;
  const cos2 = Math.cos(theta2);
  const sin2 = Math.sin(theta2);
  const d1 = M1 * LC1 * LC1 + M2 * (L1 * L1 + LC2 * LC2 + 2 * L1 * LC2 * cos2) + I1 + I2;
  const d2 = M2 * (LC2 * LC2 + L1 * LC2 * cos2) + I2;
  const phi2 = M2 * LC2 * G * Math.cos(theta1 + theta2 - Math.PI / 2);
  const phi1 =
    -M2 * L1 * LC2 * dTheta2 * dTheta2 * sin2 -
    2 * M2 * L1 * LC2 * dTheta2 * dTheta1 * sin2 +
    (M1 * LC1 + M2 * L1) * G * Math.cos(theta1 - Math.PI / 2) +
    phi2;
  const ddTheta2 = (torque + (d2 / d1) * phi1 - M2 * L1 * LC2 * dTheta1 * dTheta1 * sin2 - phi2) / (M2 * LC2 * LC2 + I2 - (d2 * d2) / d1);
  const ddTheta1 = -(d2 * ddTheta2 + phi1) / d1;
  return [dTheta1, dTheta2, ddTheta1, ddTheta2];
}

/** Wraps `angle` into [−π, π] by whole turns (Gymnasium's `wrap`). */
function wrapAngle(angle: number): number {
  let wrapped = angle;
  while (wrapped > Math.PI) wrapped -= 2 * Math.PI;
  while (wrapped < -Math.PI) wrapped += 2 * Math.PI;
  return wrapped;
}

/**
 * Gymnasium's Acrobot: swing the tip of a two-link chain above the bar by torquing the middle joint
 * (actions 0, 1, 2 apply −1, 0, +1). Observation `[cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2]` as a
 * `Float32Array`; reward −1 per step and 0 on the terminating one; terminates when
 * −cos θ1 − cos(θ1 + θ2) > 1.
 */
export class AcrobotEnv implements Env<BoxArray, number> {
  readonly observationSpace = new Box({
    low: [-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2],
    high: [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2],
    dtype: 'float32',
  });
  readonly actionSpace = new Discrete(3);
  spec?: EnvSpec;
  private current: [number, number, number, number] | undefined;
  private rng: Rng | undefined;

  /** An Acrobot; `envConfig` must be empty. */
  constructor(envConfig: AcrobotConfig = {}) {
    validateEnvConfig(NAME, envConfig, {});
  }

  /** The physical state `[θ1, θ2, θ̇1, θ̇2]`; undefined before the first reset. */
  get state(): number[] | undefined {
    return this.current === undefined ? undefined : [...this.current];
  }

  /** Sets the physical state `[θ1, θ2, θ̇1, θ̇2]`. */
  set state(value: ArrayLike<number>) {
    const [theta1, theta2, dTheta1, dTheta2] = readState(NAME, value, ['theta1', 'theta2', 'dTheta1', 'dTheta2']) as [
      number,
      number,
      number,
      number,
    ];
    this.current = [theta1, theta2, dTheta1, dTheta2];
  }

  /** The whole state (physics and random stream) as plain data, for checkpoints. */
  getState(): ClassicEnvState {
    return captureClassicState(this.current, this.rng);
  }

  /** Continues from what `getState` returned. */
  setState(state: unknown): void {
    const restored = restoreClassicState(NAME, state, 4);
    this.current = restored.current as [number, number, number, number] | undefined;
    this.rng = restored.rng;
  }

  /** Draws all four state values from U(low, high), by default U(−0.1, 0.1), rounded to float32 as Gymnasium does. */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.rng = resetRng(this.rng, options?.seed, NAME);
    const { low, high } = readResetBounds(NAME, options?.options, -0.1, 0.1);
    const draw = () => Math.fround((this.rng as Rng).uniform(low, high));
    this.current = [draw(), draw(), draw(), draw()];
    return { obs: this.observe(), info: {} };
  }

  /** One RK4 step of dt = 0.2 s with the chosen torque held constant; angles wrapped, velocities clipped. */
  step(action: number): StepResult<Float32Array> {
    assertActionInSpace(action, this.actionSpace, `${NAME}.step`);
    if (this.current === undefined) throw new EnvError(`${NAME}.step: call reset() before step()`);
    const torque = TORQUES[action] ?? 0;
    const [theta1 = 0, theta2 = 0, dTheta1 = 0, dTheta2 = 0] = rk4Step((s) => acrobotDerivative(s, torque), this.current, DT);
    this.current = [
      wrapAngle(theta1),
      wrapAngle(theta2),
      Math.min(MAX_VEL_1, Math.max(-MAX_VEL_1, dTheta1)),
      Math.min(MAX_VEL_2, Math.max(-MAX_VEL_2, dTheta2)),
    ];
    const terminated = -Math.cos(this.current[0]) - Math.cos(this.current[1] + this.current[0]) > 1;
    return { obs: this.observe(), reward: terminated ? 0 : -1, terminated, truncated: false, info: {} };
  }

  private observe(): Float32Array {
    const [theta1, theta2, dTheta1, dTheta2] = this.current ?? [0, 0, 0, 0];
    return Float32Array.of(Math.cos(theta1), Math.sin(theta1), Math.cos(theta2), Math.sin(theta2), dTheta1, dTheta2);
  }
}
