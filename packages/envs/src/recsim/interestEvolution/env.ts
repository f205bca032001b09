import { DEFAULT_ENV_CONTEXT, type Env, type EnvContext } from '@loomrl/core';
import { applyRecSimWrappers, checkCommonConstraints } from '../config/common.js';
import { validateRecSimConfig } from '../config/schema.js';
import { RecSimEnv } from '../framework/recsimEnv.js';
import { clickedSumReward } from '../framework/rewards.js';
import { SingleUserEnvironment } from '../framework/singleUserEnvironment.js';
import { createRecSimStreams } from '../framework/streams.js';
import { IEV_CONFIG_SCHEMA, IEV_ENV_ID, type InterestEvolutionConfig } from './config.js';
import { IEvVideoSampler } from './documents.js';
import { type IEvResponse, IEvUserModel, IEvUserSampler } from './user.js';

/** Validates an Interest Evolution envConfig and fills in defaults. */
export function resolveInterestEvolutionConfig(envConfig: unknown): InterestEvolutionConfig {
  const config = validateRecSimConfig(IEV_ENV_ID, IEV_CONFIG_SCHEMA, envConfig);
  checkCommonConstraints(IEV_ENV_ID, config);
  return config;
}

/** The unwrapped Interest Evolution env for a validated config. */
export function createInterestEvolutionCore(config: InterestEvolutionConfig, context: EnvContext = DEFAULT_ENV_CONTEXT) {
  const streams = createRecSimStreams(config.seed, context);
  const environment = new SingleUserEnvironment({
    userModel: new IEvUserModel(config.slateSize, new IEvUserSampler(config, streams.user)),
    documentSampler: new IEvVideoSampler(config, streams.document),
    numCandidates: config.numCandidates,
    slateSize: config.slateSize,
    resampleDocuments: config.resampleDocuments,
    allowDuplicateItems: config.allowDuplicateItems,
    behaviour: streams.behaviour,
  });
  return new RecSimEnv({
    environment,
    reward: clickedSumReward<IEvResponse>((r) => r.watchTime),
    streamsForSeed: (seed) => createRecSimStreams(seed, context),
  });
}

/**
 * Interest Evolution as registered under `RecSim/InterestEvolution-v0`: reward is the clicked video's
 * watch time; the episode ends when the user's time budget is used up.
 */
export function createInterestEvolutionEnv(envConfig: unknown = {}, context: EnvContext = DEFAULT_ENV_CONTEXT): Env {
  const config = resolveInterestEvolutionConfig(envConfig);
  return applyRecSimWrappers(createInterestEvolutionCore(config, context) as unknown as Env, config);
}
