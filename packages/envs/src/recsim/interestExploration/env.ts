import { ConfigError, DEFAULT_ENV_CONTEXT, type Env, type EnvContext } from '@loomrl/core';
import { applyRecSimWrappers, checkCommonConstraints } from '../config/common.js';
import { validateRecSimConfig } from '../config/schema.js';
import { RecSimEnv } from '../framework/recsimEnv.js';
import { totalClicksReward } from '../framework/rewards.js';
import { SingleUserEnvironment } from '../framework/singleUserEnvironment.js';
import { createRecSimStreams } from '../framework/streams.js';
import { IEXP_CONFIG_SCHEMA, IEXP_ENV_ID, type InterestExplorationConfig } from './config.js';
import { IExpDocumentSampler } from './documents.js';
import { IExpUserModel, IExpUserSampler } from './user.js';

function checkDistribution(name: string, probs: readonly number[]): void {
  const total = probs.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-9) {
    throw new ConfigError(`${IEXP_ENV_ID}: envConfig.${name} must sum to 1, got [${probs.join(', ')}] (sum ${total}).`);
  }
}

/** Validates an Interest Exploration envConfig (incl. shapes of the topic/type tables) and fills in defaults. */
export function resolveInterestExplorationConfig(envConfig: unknown): InterestExplorationConfig {
  const config = validateRecSimConfig(IEXP_ENV_ID, IEXP_CONFIG_SCHEMA, envConfig);
  checkCommonConstraints(IEXP_ENV_ID, config);
  checkDistribution('documentTopicProbs', config.documentTopicProbs);
  checkDistribution('userTypeProbs', config.userTypeProbs);
  const topics = config.documentTopicProbs.length;
  if (config.documentQualityMeans.length !== topics) {
    throw new ConfigError(
      `${IEXP_ENV_ID}: envConfig.documentQualityMeans needs one entry per topic (${topics}), got ${config.documentQualityMeans.length}.`,
    );
  }
  const m = config.userAffinityMeans;
  if (m.length !== config.userTypeProbs.length || (m[0] as number[]).length !== topics) {
    throw new ConfigError(
      `${IEXP_ENV_ID}: envConfig.userAffinityMeans must be ${config.userTypeProbs.length} rows (user types) × ${topics} columns (topics), got ${m.length} × ${(m[0] as number[]).length}.`,
    );
  }
  return config;
}

/** The unwrapped Interest Exploration env for a validated config (no horizon). */
export function createInterestExplorationCore(config: InterestExplorationConfig, context: EnvContext = DEFAULT_ENV_CONTEXT) {
  const streams = createRecSimStreams(config.seed, context);
  const environment = new SingleUserEnvironment({
    userModel: new IExpUserModel(config.slateSize, new IExpUserSampler(config, streams.user)),
    documentSampler: new IExpDocumentSampler(config, streams.document),
    numCandidates: config.numCandidates,
    slateSize: config.slateSize,
    resampleDocuments: config.resampleDocuments,
    allowDuplicateItems: config.allowDuplicateItems,
    behaviour: streams.behaviour,
  });
  return new RecSimEnv({ environment, reward: totalClicksReward, streamsForSeed: (seed) => createRecSimStreams(seed, context) });
}

/**
 * Interest Exploration as registered under `RecSim/InterestExploration-v0`: reward is the number of
 * clicks; users never leave, so episodes are truncated after `horizon` (default 100) steps. Two topics,
 * so every space is valid (RLlib's version has `Discrete(0)` cluster spaces and cannot be built).
 */
export function createInterestExplorationEnv(envConfig: unknown = {}, context: EnvContext = DEFAULT_ENV_CONTEXT): Env {
  const config = resolveInterestExplorationConfig(envConfig);
  return applyRecSimWrappers(createInterestExplorationCore(config, context) as unknown as Env, config);
}
