/**
 * RecSim in TypeScript: the authoring framework (documents, users, responses, choice models, the
 * single-user environment and its Gymnasium-style env), the three stock environments with RLlib's
 * wrapper options, and baseline policies with an evaluation helper. Importing it registers
 * `RecSim/LongTermSatisfaction-v0`, `RecSim/InterestEvolution-v0` and `RecSim/InterestExploration-v0`.
 */

export * from './agents/index.js';
export * from './baselines/index.js';
export { applyRecSimWrappers, COMMON_RECSIM_SCHEMA, type CommonRecSimConfig, checkCommonConstraints } from './config/common.js';
export { type ConfigSchema, type FieldKind, type FieldSpec, type ResolvedConfig, validateRecSimConfig } from './config/schema.js';
export * from './framework/index.js';
export * from './interestEvolution/index.js';
export * from './interestExploration/index.js';
export * from './lts/index.js';
export { RECSIM_ENV_IDS, registerRecSimEnvs } from './register.js';
export * from './wrappers/index.js';
