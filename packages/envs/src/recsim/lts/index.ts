export { type LongTermSatisfactionConfig, LTS_CONFIG_SCHEMA, LTS_ENV_ID, LTS_PARAMETER_SCHEMA, type LTSUserParameters } from './config.js';
export { LTSDocument, LTSDocumentSampler } from './documents.js';
export { createLongTermSatisfactionCore, createLongTermSatisfactionEnv, resolveLongTermSatisfactionConfig } from './env.js';
export {
  LTS_MAX_ENGAGEMENT,
  LTSResponse,
  type LTSResponseObservation,
  LTSUserModel,
  LTSUserSampler,
  LTSUserState,
  ltsEngagementParameters,
  ltsResponseSpace,
  sigmoid,
} from './user.js';
