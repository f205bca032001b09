import { COMMON_RECSIM_SCHEMA } from '../config/common.js';
import type { ConfigSchema, ResolvedConfig } from '../config/schema.js';

/** Registered id of Interest Evolution. */
export const IEV_ENV_ID = 'RecSim/InterestEvolution-v0';

/** Mean quality per cluster: 14 "trashy" values from −3 to 0, then 6 "nutritious" values from 0 to 3. */
export const IEV_CLUSTER_QUALITY_MEANS: readonly number[] = [
  ...Array.from({ length: 14 }, (_, k) => -3 + (3 * k) / 13),
  ...Array.from({ length: 6 }, (_, j) => 0.6 * j),
];

/** Interest Evolution's user and document parameters (RecSim's defaults as RLlib builds the env). */
export const IEV_PARAMETER_SCHEMA = {
  timeBudget: { kind: 'number', default: 200, above: 0, upstream: 'time_budget', doc: 'session minutes at the start' },
  noClickMass: { kind: 'number', default: 1.0, upstream: 'no_click_mass', doc: 'no-click score of the proportional choice model' },
  minNormalizer: {
    kind: 'number',
    default: -1.0,
    max: -1,
    upstream: 'min_normalizer',
    doc: 'subtracted from scores (≤ −1 so weights stay ≥ 0)',
  },
  stepPenalty: { kind: 'number', default: 0.5, min: 0, upstream: 'step_penalty', doc: 'budget lost on a step without a click' },
  userUpdateAlpha: {
    kind: 'number',
    default: 0.9 / 3.4,
    upstream: 'user_update_alpha',
    doc: 'budget gained per minute watched and unit of received utility',
  },
  userQualityFactor: { kind: 'number', default: 0, upstream: 'user_quality_factor', doc: 'weight of expected utility in received utility' },
  documentQualityFactor: {
    kind: 'number',
    default: 1,
    upstream: 'document_quality_factor',
    doc: 'weight of document quality in received utility',
  },
  alphaXIntercept: {
    kind: 'number',
    default: 1.0,
    above: 0,
    upstream: 'alpha_x_intercept',
    doc: 'interest step size reaches 0 at |u| = this',
  },
  alphaYIntercept: { kind: 'number', default: 0.3, min: 0, upstream: 'alpha_y_intercept', doc: 'interest step size at u = 0' },
  videoLength: { kind: 'number', default: 4.0, above: 0, upstream: 'video_length', doc: 'minutes per video' },
  documentQualityStddev: {
    kind: 'number',
    default: 0.1,
    min: 0,
    upstream: 'quality variance (used as std)',
    doc: 'std of quality around its cluster mean',
  },
  clusterQualityMeans: {
    kind: 'numberArray',
    default: IEV_CLUSTER_QUALITY_MEANS,
    upstream: 'trashy/nutritious quality means',
    doc: 'mean quality per cluster; its length is the number of clusters (20)',
  },
} as const satisfies ConfigSchema;

/** Every envConfig key of Interest Evolution. */
export const IEV_CONFIG_SCHEMA = { ...COMMON_RECSIM_SCHEMA, ...IEV_PARAMETER_SCHEMA } as const satisfies ConfigSchema;

/** A validated Interest Evolution envConfig. */
export type InterestEvolutionConfig = ResolvedConfig<typeof IEV_CONFIG_SCHEMA>;

/** The user and document parameters of Interest Evolution. */
export type IEvParameters = ResolvedConfig<typeof IEV_PARAMETER_SCHEMA>;
