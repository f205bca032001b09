import type { Rng } from '@loomrl/core';
import type { RecDocument } from '../framework/document.js';
import { DocumentSampler } from '../framework/document.js';
import { float32Box } from '../framework/spaceValues.js';

/** A Long Term Satisfaction document: its clickbait score c ∈ [0, 1) ("chocolateness"; 1 = choc, 0 = kale). */
export class LTSDocument implements RecDocument<Float32Array> {
  readonly id: number;
  /** c. */
  readonly clickbaitScore: number;
  private readonly obs: Float32Array;

  /** A document with id `id` and score `clickbaitScore`. */
  constructor(id: number, clickbaitScore: number) {
    this.id = id;
    this.clickbaitScore = clickbaitScore;
    this.obs = new Float32Array(1);
    this.obs[0] = clickbaitScore;
  }

  /** `[c]` (the same array every call; do not mutate it). */
  observation(): Float32Array {
    return this.obs;
  }
}

/** Draws documents with c ~ U[0, 1), one draw each (RecSim's `LTSDocumentSampler`). */
export class LTSDocumentSampler extends DocumentSampler<LTSDocument, Float32Array> {
  /** A sampler over `rng`. */
  constructor(rng: Rng) {
    super(float32Box({ low: 0, high: 1, shape: [1] }), rng);
  }

  protected createDocument(id: number, rng: Rng): LTSDocument {
    return new LTSDocument(id, rng.random());
  }
}
