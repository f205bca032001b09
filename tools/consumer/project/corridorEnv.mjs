// A user's own env in its own module (plain JS): importing it registers "consumer/Corridor-v0".
import { Box, Discrete, registerEnv } from '@loomrl/core';

class Corridor {
  observationSpace = new Box({ low: 0, high: 1, shape: [1] });
  actionSpace = new Discrete(2);
  constructor(length) {
    this.length = length;
    this.position = 0;
  }
  reset() {
    this.position = 0;
    return { obs: Float32Array.of(0), info: {} };
  }
  step(action) {
    this.position = Math.max(0, this.position + (action === 1 ? 1 : -1));
    const done = this.position >= this.length;
    return { obs: Float32Array.of(this.position / this.length), reward: done ? 1 : -0.01, terminated: done, truncated: false, info: {} };
  }
}

registerEnv('consumer/Corridor-v0', (envConfig) => new Corridor(envConfig.length ?? 5), { maxEpisodeSteps: 50 });
