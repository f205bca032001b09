export { type RecSimBanditObservation, RecSimBanditObservationWrapper } from './banditObservation.js';
export { RecSimDiscreteActionWrapper } from './discreteAction.js';
export { RecSimFlattenObservation } from './flattenObservation.js';
export { indexFromSlate, slateFromIndex } from './slateIndex.js';
