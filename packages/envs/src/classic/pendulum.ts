import {
  assertActionInSpace,
  Box,
  type BoxArray,
  type Env,
  EnvError,
  type EnvSpec,
  type ResetOptions,
  type ResetResult,
  type Rng,
  type StepResult,
} from '@loomrl/core';
import { finiteNumberField, validateEnvConfig } from './envConfig.js';
import { type ClassicEnvState, captureClassicState, restoreClassicState } from './envState.js';
import { readState } from './physicalState.js';
import { readResetNumbers } from './resetOptions.js';
import { resetRng } from './seeding.js';

const NAME = 'Pendulum';
const MAX_SPEED = 8;
const MAX_TORQUE = 2;
const DT = 0.05;
const MASS = 1;
const LENGTH = 1;

/** Options of Pendulum's `envConfig`. */
export interface PendulumConfig {
  /** Gravitational acceleration, default 10. */
  readonly g?: number;
}

/** Maps an angle into [−π, π) (Gymnasium's `angle_normalize`). */
export function angleNormalize(angle: number): number {
  const turn = 2 * Math.PI;
  const shifted = (angle + Math.PI) % turn;
  return (shifted < 0 ? shifted + turn : shifted) - Math.PI;
}

/**
 * Gymnasium's Pendulum: swing a pendulum up and hold it upright with a torque in [−2, 2].
 * Observation `[cos θ, sin θ, θ̇]` as a `Float32Array`; reward −(θ² + 0.1·θ̇² + 0.001·u²) with θ
 * normalized to [−π, π), from the state before the step; never terminates.
 */
export class PendulumEnv implements Env<BoxArray, BoxArray> {
  readonly observationSpace = new Box({ low: [-1, -1, -MAX_SPEED], high: [1, 1, MAX_SPEED], dtype: 'float32' });
  readonly actionSpace = new Box({ low: -MAX_TORQUE, high: MAX_TORQUE, shape: [1], dtype: 'float32' });
  spec?: EnvSpec;
  /** Gravitational acceleration. */
  readonly g: number;
  private current: [number, number] | undefined;
  private rng: Rng | undefined;

  /** A Pendulum; `envConfig.g` sets gravity (default 10). */
  constructor(envConfig: PendulumConfig = {}) {
    validateEnvConfig(NAME, envConfig, { g: finiteNumberField(0) });
    this.g = envConfig.g ?? 10;
  }

  /** The physical state `[θ, θ̇]` in float64 (θ not normalized); undefined before the first reset. */
  get state(): number[] | undefined {
    return this.current === undefined ? undefined : [...this.current];
  }

  /** Sets the physical state `[θ, θ̇]`. */
  set state(value: ArrayLike<number>) {
    const [theta, thetaDot] = readState(NAME, value, ['theta', 'thetaDot']) as [number, number];
    this.current = [theta, thetaDot];
  }

  /** The whole state (physics and random stream) as plain data, for checkpoints. */
  getState(): ClassicEnvState {
    return captureClassicState(this.current, this.rng);
  }

  /** Continues from what `getState` returned. */
  setState(state: unknown): void {
    const restored = restoreClassicState(NAME, state, 2);
    this.current = restored.current as [number, number] | undefined;
    this.rng = restored.rng;
  }

  /** Draws θ ~ U(−xInit, xInit) and θ̇ ~ U(−yInit, yInit); `options.xInit` defaults to π, `options.yInit` to 1. */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.rng = resetRng(this.rng, options?.seed, NAME);
    const { xInit, yInit } = readResetNumbers(NAME, options?.options, { xInit: Math.PI, yInit: 1 });
    this.current = [this.rng.uniform(-xInit, xInit), this.rng.uniform(-yInit, yInit)];
    return { obs: this.observe(), info: {} };
  }

  /** Applies the torque `action[0]` (clipped to [−2, 2]) for dt = 0.05 s. */
  step(action: ArrayLike<number>): StepResult<Float32Array> {
    assertActionInSpace(action, this.actionSpace, `${NAME}.step`);
    if (this.current === undefined) throw new EnvError(`${NAME}.step: call reset() before step()`);
    const [theta, thetaDot] = this.current;
    const u = Math.min(MAX_TORQUE, Math.max(-MAX_TORQUE, action[0] ?? 0));
    const normalized = angleNormalize(theta);
    const cost = normalized * normalized + 0.1 * thetaDot * thetaDot + 0.001 * u * u;
    const accel = ((3 * this.g) / (2 * LENGTH)) * Math.sin(theta) + (3 / (MASS * LENGTH * LENGTH)) * u;
    const nextThetaDot = Math.min(MAX_SPEED, Math.max(-MAX_SPEED, thetaDot + accel * DT));
    this.current = [theta + nextThetaDot * DT, nextThetaDot];
    return { obs: this.observe(), reward: -cost, terminated: false, truncated: false, info: {} };
  }

  private observe(): Float32Array {
    const [theta, thetaDot] = this.current ?? [0, 0];
    return Float32Array.of(Math.cos(theta), Math.sin(theta), thetaDot);
  }
}
