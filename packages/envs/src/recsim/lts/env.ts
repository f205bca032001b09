import { DEFAULT_ENV_CONTEXT, type Env, type EnvContext } from '@loomrl/core';
import { applyRecSimWrappers, checkCommonConstraints } from '../config/common.js';
import { validateRecSimConfig } from '../config/schema.js';
import { RecSimEnv } from '../framework/recsimEnv.js';
import { clickedSumReward } from '../framework/rewards.js';
import { SingleUserEnvironment } from '../framework/singleUserEnvironment.js';
import { createRecSimStreams } from '../framework/streams.js';
import { type LongTermSatisfactionConfig, LTS_CONFIG_SCHEMA, LTS_ENV_ID } from './config.js';
import { LTSDocumentSampler } from './documents.js';
import { type LTSResponse, LTSUserModel, LTSUserSampler } from './user.js';

/** Validates a Long Term Satisfaction envConfig and fills in defaults. */
export function resolveLongTermSatisfactionConfig(envConfig: unknown): LongTermSatisfactionConfig {
  const config = validateRecSimConfig(LTS_ENV_ID, LTS_CONFIG_SCHEMA, envConfig);
  checkCommonConstraints(LTS_ENV_ID, config);
  return config;
}

/** The unwrapped Long Term Satisfaction env for a validated config. */
export function createLongTermSatisfactionCore(config: LongTermSatisfactionConfig, context: EnvContext = DEFAULT_ENV_CONTEXT) {
  const streams = createRecSimStreams(config.seed, context);
  const userModel = new LTSUserModel(config.slateSize, new LTSUserSampler(config, streams.user));
  const environment = new SingleUserEnvironment({
    userModel,
    documentSampler: new LTSDocumentSampler(streams.document),
    numCandidates: config.numCandidates,
    slateSize: config.slateSize,
    resampleDocuments: config.resampleDocuments,
    allowDuplicateItems: config.allowDuplicateItems,
    behaviour: streams.behaviour,
  });
  return new RecSimEnv({
    environment,
    reward: clickedSumReward<LTSResponse>((r) => r.engagement),
    streamsForSeed: (seed) => createRecSimStreams(seed, context),
  });
}

/**
 * Long Term Satisfaction ("choc vs kale") as registered under `RecSim/LongTermSatisfaction-v0`:
 * reward is the (unclipped) engagement of the consumed document; episodes last `timeBudget` steps.
 */
export function createLongTermSatisfactionEnv(envConfig: unknown = {}, context: EnvContext = DEFAULT_ENV_CONTEXT): Env {
  const config = resolveLongTermSatisfactionConfig(envConfig);
  return applyRecSimWrappers(createLongTermSatisfactionCore(config, context) as unknown as Env, config);
}
