import { ActionError } from '@loomrl/core';

/**
 * The slate a Discrete(C^S) index stands for, position 0 the least significant digit
 * (RLlib's `MultiDiscreteToDiscreteActionWrapper`): slate[p] = a mod C, a = a div C.
 */
export function slateFromIndex(index: number, numCandidates: number, slateSize: number, out = new Int32Array(slateSize)): Int32Array {
  let rest = index;
  for (let p = 0; p < slateSize; p++) {
    out[p] = rest % numCandidates;
    rest = Math.floor(rest / numCandidates);
  }
  return out;
}

/** The Discrete(C^S) index of a slate: Σ_p slate[p]·C^p. */
export function indexFromSlate(slate: ArrayLike<number>, numCandidates: number): number {
  let index = 0;
  let weight = 1;
  for (let p = 0; p < slate.length; p++) {
    const position = slate[p] as number;
    if (!Number.isInteger(position) || position < 0 || position >= numCandidates) {
      throw new ActionError(`indexFromSlate: slate position ${p} is ${position}, expected an integer in [0, ${numCandidates})`);
    }
    index += position * weight;
    weight *= numCandidates;
  }
  return index;
}
