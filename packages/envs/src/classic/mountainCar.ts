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
import { finiteNumberField, validateEnvConfig } from './envConfig.js';
import { type ClassicEnvState, captureClassicState, restoreClassicState } from './envState.js';
import { readState } from './physicalState.js';
import { readResetBounds } from './resetOptions.js';
import { resetRng } from './seeding.js';

const NAME = 'MountainCar';
const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.5;
const FORCE = 0.001;
const GRAVITY = 0.0025;

/** Options of MountainCar's `envConfig`. */
export interface MountainCarConfig {
  /** The velocity the car must have at the goal, default 0 (Gymnasium's `goal_velocity`). */
  readonly goalVelocity?: number;
}

/**
 * Gymnasium's MountainCar (discrete): drive an underpowered car up the right hill by rocking it.
 * Actions 0 push left, 1 no push, 2 push right. Observation `[position, velocity]` as a
 * `Float32Array`; reward −1 per step; terminates at position ≥ 0.5 with velocity ≥ the goal velocity.
 */
export class MountainCarEnv implements Env<BoxArray, number> {
  readonly observationSpace = new Box({ low: [MIN_POSITION, -MAX_SPEED], high: [MAX_POSITION, MAX_SPEED], dtype: 'float32' });
  readonly actionSpace = new Discrete(3);
  spec?: EnvSpec;
  /** The velocity the car must have at the goal position to terminate. */
  readonly goalVelocity: number;
  private current: [number, number] | undefined;
  private rng: Rng | undefined;

  /** A MountainCar; `envConfig.goalVelocity` defaults to 0. */
  constructor(envConfig: MountainCarConfig = {}) {
    validateEnvConfig(NAME, envConfig, { goalVelocity: finiteNumberField() });
    this.goalVelocity = envConfig.goalVelocity ?? 0;
  }

  /** The physical state `[position, velocity]` in float64; undefined before the first reset. */
  get state(): number[] | undefined {
    return this.current === undefined ? undefined : [...this.current];
  }

  /** Sets the physical state `[position, velocity]`. */
  set state(value: ArrayLike<number>) {
    const [position, velocity] = readState(NAME, value, ['position', 'velocity']) as [number, number];
    this.current = [position, velocity];
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

  /** Draws the position from U(low, high), by default U(−0.6, −0.4), with velocity 0. */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.rng = resetRng(this.rng, options?.seed, NAME);
    const { low, high } = readResetBounds(NAME, options?.options, -0.6, -0.4);
    this.current = [this.rng.uniform(low, high), 0];
    return { obs: Float32Array.from(this.current), info: {} };
  }

  /** One step of the hill dynamics; the left wall stops the car. */
  step(action: number): StepResult<Float32Array> {
    assertActionInSpace(action, this.actionSpace, `${NAME}.step`);
    if (this.current === undefined) throw new EnvError(`${NAME}.step: call reset() before step()`);
    let [position, velocity] = this.current;
    velocity += (action - 1) * FORCE - Math.cos(3 * position) * GRAVITY;
    velocity = Math.min(MAX_SPEED, Math.max(-MAX_SPEED, velocity));
    position = Math.min(MAX_POSITION, Math.max(MIN_POSITION, position + velocity));
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    this.current = [position, velocity];
    const terminated = position >= GOAL_POSITION && velocity >= this.goalVelocity;
    return { obs: Float32Array.from(this.current), reward: -1, terminated, truncated: false, info: {} };
  }
}
