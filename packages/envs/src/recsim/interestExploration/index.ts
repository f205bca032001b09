export { IEXP_CONFIG_SCHEMA, IEXP_ENV_ID, IEXP_PARAMETER_SCHEMA, type IExpParameters, type InterestExplorationConfig } from './config.js';
export { IExpDocument, type IExpDocumentObservation, IExpDocumentSampler, iexpDocumentSpace } from './documents.js';
export { createInterestExplorationCore, createInterestExplorationEnv, resolveInterestExplorationConfig } from './env.js';
export { IExpResponse, type IExpResponseObservation, IExpUserModel, IExpUserSampler, IExpUserState, iexpResponseSpace } from './user.js';
