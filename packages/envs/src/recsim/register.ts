import { registerEnv } from '@loomrl/core';
import { IEV_ENV_ID } from './interestEvolution/config.js';
import { createInterestEvolutionEnv } from './interestEvolution/env.js';
import { IEXP_ENV_ID } from './interestExploration/config.js';
import { createInterestExplorationEnv } from './interestExploration/env.js';
import { LTS_ENV_ID } from './lts/config.js';
import { createLongTermSatisfactionEnv } from './lts/env.js';

/** The ids of the three stock RecSim envs, in RecSim's order. */
export const RECSIM_ENV_IDS = [LTS_ENV_ID, IEV_ENV_ID, IEXP_ENV_ID] as const;

/** Registers the three stock RecSim envs (runs when `@loomrl/envs` is imported; safe to call again). */
export function registerRecSimEnvs(): void {
  registerEnv(LTS_ENV_ID, createLongTermSatisfactionEnv);
  registerEnv(IEV_ENV_ID, createInterestEvolutionEnv);
  registerEnv(IEXP_ENV_ID, createInterestExplorationEnv);
}

registerRecSimEnvs();
