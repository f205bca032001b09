// Envs that return bad values on purpose, for the NaN/Infinity and async-env tests: at their
// `envConfig.badAtStep`-th step (default 5) of sub-env `envConfig.badEnv` (default 1).
import { Box, Discrete, registerEnv } from '@loomrl/core';

class BadValues {
  constructor(config, context, kind) {
    this.armed = context.vectorIndex === (config.badEnv ?? 1);
    this.badAtStep = config.badAtStep ?? 5;
    this.kind = kind;
    this.t = 0;
    this.observationSpace = new Box({ low: -1e6, high: 1e6, shape: [3] });
    this.actionSpace = new Discrete(2);
  }
  reset() {
    this.t = 0;
    return { obs: Float32Array.of(0, 0, 0), info: {} };
  }
  step(action) {
    this.t += 1;
    const bad = this.armed && this.t === this.badAtStep;
    const obs = Float32Array.of(action, this.t, 1);
    if (bad && this.kind === 'nanObs') obs[2] = Number.NaN;
    const reward = bad && this.kind === 'infReward' ? Number.POSITIVE_INFINITY : 1;
    return { obs, reward, terminated: this.t >= 20, truncated: false, info: {} };
  }
}

registerEnv('fixture/NanObs-v0', (config, context) => new BadValues(config, context, 'nanObs'));
registerEnv('fixture/InfReward-v0', (config, context) => new BadValues(config, context, 'infReward'));
registerEnv('fixture/AsyncStep-v0', (config, context) => {
  const env = new BadValues(config, context, 'none');
  const step = env.step.bind(env);
  env.step = async (action) => step(action);
  return env;
});
