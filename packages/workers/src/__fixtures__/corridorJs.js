// A user's own env in plain JavaScript: importing it registers "fixture/CorridorJs-v0".
import { Box, Discrete, registerEnv } from '@loomrl/core';

/** Walk right along a corridor of `length` cells; reward 1 at the end, -0.01 per step. */
class CorridorJs {
  constructor(length) {
    this.length = length;
    this.position = 0;
    this.observationSpace = new Box({ low: 0, high: 1, shape: [1] });
    this.actionSpace = new Discrete(2);
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

registerEnv('fixture/CorridorJs-v0', (config) => new CorridorJs(config.length ?? 5), { maxEpisodeSteps: 50 });
