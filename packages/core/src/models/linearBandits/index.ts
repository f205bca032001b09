/** Contextual-bandit math: per-arm (LinUCB / LinTS) and parametric online ridge regression. */
export { type Features, LINEAR_ARMS_TENSORS, LinearArms, type LinearArmsOptions, type LinearArmsState } from './linearArms.js';
export { ParametricLinearArms, type ParametricLinearArmsOptions } from './parametricLinearArms.js';
