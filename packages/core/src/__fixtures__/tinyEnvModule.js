// A user's own env module in plain JavaScript: importing it registers "fixture/Countdown-v0".
// It imports the registry the way a user file inside this package would (relative, `.js`).

import { registerEnv } from '../env/registry.js';
import { Discrete } from '../spaces/discrete.js';

/** Counts down from `envConfig.start` (default 3); action 1 subtracts one, action 0 waits; ends at 0. */
class Countdown {
  constructor(start) {
    this.start = start;
    this.value = start;
    this.observationSpace = new Discrete(start + 1);
    this.actionSpace = new Discrete(2);
  }
  reset() {
    this.value = this.start;
    return { obs: this.value, info: {} };
  }
  step(action) {
    this.value -= action;
    return { obs: this.value, reward: action, terminated: this.value === 0, truncated: false, info: {} };
  }
}

registerEnv('fixture/Countdown-v0', (envConfig) => new Countdown(envConfig.start ?? 3), { maxEpisodeSteps: 10 });
