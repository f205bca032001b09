import type { RecDocument } from './document.js';

/**
 * The documents the agent may recommend, in sampling order (RecSim's `CandidateSet`). Actions are
 * positions into this order, never ids.
 */
export class CandidateSet<D extends RecDocument<unknown>> {
  /** The documents in sampling order. */
  readonly documents: readonly D[];

  /** A set holding `documents` in the given order. */
  constructor(documents: readonly D[]) {
    this.documents = documents;
  }

  /** How many documents the set holds. */
  get size(): number {
    return this.documents.length;
  }

  /** The document at candidate position `position`. */
  at(position: number): D {
    const document = this.documents[position];
    if (document === undefined) throw new RangeError(`CandidateSet: no document at position ${position} (size ${this.size})`);
    return document;
  }

  /** The documents at the given positions, duplicates kept. */
  select(positions: ArrayLike<number>): D[] {
    const out = new Array<D>(positions.length);
    for (let i = 0; i < positions.length; i++) out[i] = this.at(positions[i] as number);
    return out;
  }
}
