import { COMMON_RECSIM_SCHEMA } from '../config/common.js';
import type { ConfigSchema, ResolvedConfig } from '../config/schema.js';

/** Registered id of Long Term Satisfaction. */
export const LTS_ENV_ID = 'RecSim/LongTermSatisfaction-v0';

/** Long Term Satisfaction's user and document parameters (RecSim's `LTSStaticUserSampler` defaults). */
export const LTS_PARAMETER_SCHEMA = {
  memoryDiscount: {
    kind: 'number',
    default: 0.7,
    min: 0,
    below: 1,
    upstream: 'memory_discount',
    doc: 'γ_m, decay of net positive exposure',
  },
  sensitivity: { kind: 'number', default: 0.01, upstream: 'sensitivity', doc: 'β, slope of satisfaction vs exposure' },
  innovationStddev: { kind: 'number', default: 0.05, min: 0, upstream: 'innovation_stddev', doc: 'σ_ε, std of exposure noise' },
  chocMean: { kind: 'number', default: 5.0, upstream: 'choc_mean', doc: 'μ_c, log-engagement location of pure choc' },
  chocStddev: { kind: 'number', default: 1.0, min: 0, upstream: 'choc_stddev', doc: 'σ_c, log-engagement scale of pure choc' },
  kaleMean: { kind: 'number', default: 4.0, upstream: 'kale_mean', doc: 'μ_k, log-engagement location of pure kale' },
  kaleStddev: { kind: 'number', default: 1.0, min: 0, upstream: 'kale_stddev', doc: 'σ_k, log-engagement scale of pure kale' },
  timeBudget: { kind: 'integer', default: 60, min: 1, upstream: 'time_budget', doc: 'T, steps per session' },
  observeSatisfaction: { kind: 'boolean', default: false, doc: 'LoomRL: the user observation is [satisfaction] instead of empty' },
} as const satisfies ConfigSchema;

/** Every envConfig key of Long Term Satisfaction. */
export const LTS_CONFIG_SCHEMA = { ...COMMON_RECSIM_SCHEMA, ...LTS_PARAMETER_SCHEMA } as const satisfies ConfigSchema;

/** A validated Long Term Satisfaction envConfig. */
export type LongTermSatisfactionConfig = ResolvedConfig<typeof LTS_CONFIG_SCHEMA>;

/** The user parameters of Long Term Satisfaction. */
export type LTSUserParameters = ResolvedConfig<typeof LTS_PARAMETER_SCHEMA>;
