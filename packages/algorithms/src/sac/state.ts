import type { LearnerState } from '@loomrl/core';
import type { SacWeights } from './networks.js';

/** SAC's weight sets by name for a checkpoint: `policy`, `q1`, `q2`, `q1Target`, `q2Target`, `logAlpha`. */
export function sacWeightsToState(weights: SacWeights): LearnerState['weights'] {
  const out: Record<string, Float32Array> = { policy: weights.policy, logAlpha: Float32Array.of(weights.logAlpha) };
  weights.q.forEach((w, i) => {
    out[`q${i + 1}`] = w;
  });
  weights.qTarget.forEach((w, i) => {
    out[`q${i + 1}Target`] = w;
  });
  return out;
}

/** The inverse of `sacWeightsToState`. */
export function sacWeightsFromState(state: LearnerState['weights'], twinQ: boolean): SacWeights {
  const ids = twinQ ? [1, 2] : [1];
  return {
    policy: state.policy as Float32Array,
    q: ids.map((i) => state[`q${i}`] as Float32Array),
    qTarget: ids.map((i) => (state[`q${i}Target`] ?? state[`q${i}`]) as Float32Array),
    logAlpha: (state.logAlpha as Float32Array)[0] ?? 0,
  };
}
