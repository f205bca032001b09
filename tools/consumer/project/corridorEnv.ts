// The same user env in TypeScript: worker threads import it through tsx (installed in this project).
import { Box, Discrete, type ResetResult, registerEnv, type StepResult } from '@loomrl/core';

// Not `implements Env<Float32Array, number>`: with a Box that is TS2416 today (issue 14 §4).
class TypedCorridor {
  readonly observationSpace = new Box({ low: 0, high: 1, shape: [1] });
  readonly actionSpace = new Discrete(2);
  private position = 0;
  constructor(private readonly length: number) {}
  reset(): ResetResult<Float32Array> {
    this.position = 0;
    return { obs: Float32Array.of(0), info: {} };
  }
  step(action: number): StepResult<Float32Array> {
    this.position = Math.max(0, this.position + (action === 1 ? 1 : -1));
    const done = this.position >= this.length;
    return { obs: Float32Array.of(this.position / this.length), reward: done ? 1 : -0.01, terminated: done, truncated: false, info: {} };
  }
}

registerEnv<{ length?: number }>('consumer/TypedCorridor-v0', (envConfig) => new TypedCorridor(envConfig.length ?? 5), {
  maxEpisodeSteps: 50,
});
