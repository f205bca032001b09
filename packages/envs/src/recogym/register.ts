import { registerEnv } from '@loomrl/core';
import { RecoGymLoomEnv } from './loomEnv.js';

/** The registry ids of RecoGym's LoomRL face. */
export const RECOGYM_ENV_IDS = Object.freeze({ v1: 'RecoGym-v1', v0: 'RecoGym-v0' } as const);

registerEnv(RECOGYM_ENV_IDS.v1, (envConfig, context) => new RecoGymLoomEnv('v1', envConfig, context));
registerEnv(RECOGYM_ENV_IDS.v0, (envConfig, context) => new RecoGymLoomEnv('v0', envConfig, context));
