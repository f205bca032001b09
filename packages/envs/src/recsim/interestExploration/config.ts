import { COMMON_RECSIM_SCHEMA } from '../config/common.js';
import type { ConfigSchema, ResolvedConfig } from '../config/schema.js';

/** Registered id of Interest Exploration. */
export const IEXP_ENV_ID = 'RecSim/InterestExploration-v0';

/** Interest Exploration's user and document parameters (RecSim's defaults). */
export const IEXP_PARAMETER_SCHEMA = {
  noClickMass: { kind: 'number', default: 5, upstream: 'no_click_mass', doc: 'no-click logit of the multinomial logit choice model' },
  documentTopicProbs: {
    kind: 'numberArray',
    default: [0.2, 0.8],
    min: 0,
    max: 1,
    upstream: 'topic distribution',
    doc: 'P(topic k) of a document',
  },
  documentQualityMeans: { kind: 'numberArray', default: [0.8, 0.2], upstream: 'topic quality means', doc: 'log-quality mean per topic' },
  documentQualityStddev: { kind: 'number', default: 0.1, min: 0, upstream: 'topic quality stddev', doc: 'log-quality std' },
  userTypeProbs: { kind: 'numberArray', default: [0.3, 0.7], min: 0, max: 1, upstream: 'user type distribution', doc: 'P(user type t)' },
  userAffinityMeans: {
    kind: 'numberMatrix',
    default: [
      [0.1, 0.7],
      [0.7, 0.1],
    ],
    upstream: 'user type affinity means',
    doc: 'log-affinity mean, one row per user type, one column per topic',
  },
  userAffinityStddev: { kind: 'number', default: 0.1, min: 0, upstream: 'user type affinity stddev', doc: 'log-affinity std' },
} as const satisfies ConfigSchema;

/** Every envConfig key of Interest Exploration; `horizon` defaults to 100 because users never leave. */
export const IEXP_CONFIG_SCHEMA = {
  ...COMMON_RECSIM_SCHEMA,
  horizon: { ...COMMON_RECSIM_SCHEMA.horizon, default: 100, doc: 'episodes are truncated after this many steps (users never leave)' },
  ...IEXP_PARAMETER_SCHEMA,
} as const satisfies ConfigSchema;

/** A validated Interest Exploration envConfig. */
export type InterestExplorationConfig = ResolvedConfig<typeof IEXP_CONFIG_SCHEMA>;

/** The user and document parameters of Interest Exploration. */
export type IExpParameters = ResolvedConfig<typeof IEXP_PARAMETER_SCHEMA>;
