export {
  IEV_CLUSTER_QUALITY_MEANS,
  IEV_CONFIG_SCHEMA,
  IEV_ENV_ID,
  IEV_PARAMETER_SCHEMA,
  type IEvParameters,
  type InterestEvolutionConfig,
} from './config.js';
export { IEvVideo, IEvVideoSampler } from './documents.js';
export { createInterestEvolutionCore, createInterestEvolutionEnv, resolveInterestEvolutionConfig } from './env.js';
export {
  IEvResponse,
  type IEvResponseObservation,
  IEvUserModel,
  IEvUserSampler,
  IEvUserState,
  ievInterestStepSize,
  ievResponseSpace,
} from './user.js';
