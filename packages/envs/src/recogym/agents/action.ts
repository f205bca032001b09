import type { RecoGymAction, RecoGymObservation } from '../types.js';

/** An action dict for `observation`'s context: product `a` with propensity `ps` (and the full vector when given). */
export function recoGymAction(observation: RecoGymObservation, a: number, ps: number, psA?: ArrayLike<number>): RecoGymAction {
  const base = { t: observation.context.time, u: observation.context.user, a, ps };
  return psA === undefined ? base : { ...base, psA: Array.from(psA) };
}
