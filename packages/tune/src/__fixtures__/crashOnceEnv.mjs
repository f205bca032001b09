// Registers "fixture/CrashOnceCartPole-v0": CartPole that throws at step `envConfig.crashAtStep` of the
// first process to use it; the marker file `envConfig.marker` makes later processes (the retry) run clean.
import { existsSync, writeFileSync } from 'node:fs';
import '@loomrl/algorithms';
import { makeEnv, registerEnv } from '@loomrl/core';

let steps = 0;

registerEnv('fixture/CrashOnceCartPole-v0', (envConfig) => {
  const env = makeEnv('CartPole-v1');
  return {
    observationSpace: env.observationSpace,
    actionSpace: env.actionSpace,
    reset: (options) => env.reset(options),
    step(action) {
      steps += 1;
      if (steps === envConfig.crashAtStep && !existsSync(envConfig.marker)) {
        writeFileSync(envConfig.marker, 'crashed');
        throw new Error('simulated env crash');
      }
      return env.step(action);
    },
  };
});
