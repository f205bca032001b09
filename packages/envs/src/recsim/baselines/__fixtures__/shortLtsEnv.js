// A user's env module (plain JS): a short Long Term Satisfaction under its own id.
import { makeEnv, registerEnv } from '@loomrl/core';
import '@loomrl/envs';

registerEnv('test/ShortLTS-v0', (envConfig) => makeEnv('RecSim/LongTermSatisfaction-v0', { timeBudget: 15, ...envConfig }));
