/**
 * A user's own env module, named in `environment({ envModules })` so every worker thread imports
 * it before building envs. Importing it registers two envs:
 * - "custom/Corridor-v0": a user-written env (walk right to the end of a corridor);
 * - "custom/RewardScaledCartPole-v0": the built-in CartPole-v1 inside a user-written wrapper that
 *   scales its rewards.
 */
import { Box, type BoxArray, Discrete, type Env, makeEnv, type ResetResult, registerEnv, type StepResult, Wrapper } from '@loomrl/core';
import '@loomrl/envs';

/** Walk right along a corridor of `length` cells: -0.1 per step, +1 at the end. */
export class Corridor implements Env<BoxArray, number> {
  readonly observationSpace = new Box({ low: 0, high: 1, shape: [1] });
  readonly actionSpace = new Discrete(2);
  private readonly length: number;
  private position = 0;

  constructor(length: number) {
    this.length = length;
  }

  reset(): ResetResult<BoxArray> {
    this.position = 0;
    return { obs: this.observe(), info: {} };
  }

  step(action: number): StepResult<BoxArray> {
    this.position = Math.max(0, this.position + (action === 1 ? 1 : -1));
    const terminated = this.position >= this.length;
    return { obs: this.observe(), reward: terminated ? 1 : -0.1, terminated, truncated: false, info: {} };
  }

  private observe(): BoxArray {
    return Float32Array.of(this.position / this.length);
  }
}

/** Multiplies every reward of the wrapped env by `scale`. */
export class ScaleReward<O, A> extends Wrapper<O, A> {
  private readonly scale: number;

  constructor(env: Env<O, A>, scale: number) {
    super(env);
    this.scale = scale;
  }

  override step(action: A): StepResult<O> {
    const result = super.step(action);
    return { ...result, reward: result.reward * this.scale };
  }
}

registerEnv('custom/Corridor-v0', (config: { length?: number }) => new Corridor(config.length ?? 8), { maxEpisodeSteps: 100 });
registerEnv('custom/RewardScaledCartPole-v0', (config: { scale?: number }) => new ScaleReward(makeEnv('CartPole-v1'), config.scale ?? 0.1));
