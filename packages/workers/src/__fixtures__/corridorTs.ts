// A user's own env in a TypeScript file: importing it registers "fixture/CorridorTs-v0".
import { Box, Discrete, type Env, type ResetResult, registerEnv, type StepResult } from '@loomrl/core';

/** Walk right along a corridor of `length` cells; reward 1 at the end, -0.01 per step. */
class CorridorTs implements Env<Float32Array, number> {
  readonly observationSpace = new Box({ low: 0, high: 1, shape: [1] });
  readonly actionSpace = new Discrete(2);
  private position = 0;
  constructor(private readonly length: number) {}
  reset(): ResetResult<Float32Array> {
    this.position = 0;
    return { obs: this.observe(), info: {} };
  }
  step(action: number): StepResult<Float32Array> {
    this.position = Math.max(0, this.position + (action === 1 ? 1 : -1));
    const done = this.position >= this.length;
    return { obs: this.observe(), reward: done ? 1 : -0.01, terminated: done, truncated: false, info: {} };
  }
  private observe(): Float32Array {
    return Float32Array.of(this.position / this.length);
  }
}

registerEnv('fixture/CorridorTs-v0', (config: { length?: number }) => new CorridorTs(config.length ?? 5), { maxEpisodeSteps: 50 });
