import type { Rng, SampleBatch, TransitionColumns } from '@loomrl/core';
import type { InputReader } from './inputReader.js';

/**
 * RLlib's `ShuffledInput`: with `size` ≤ 1 the child's batches pass through; otherwise the first
 * call fills a window of `size` batches, and every call replaces a random slot with the child's
 * next batch and returns a random slot (batches may repeat or be skipped).
 */
export class ShuffledInput implements InputReader {
  private readonly window: SampleBatch<TransitionColumns>[] = [];

  /** Shuffles `child`'s batches in a window of `size`, drawing from `rng`. */
  constructor(
    private readonly child: InputReader,
    private readonly size: number,
    private readonly rng: Rng,
  ) {}

  next(): SampleBatch<TransitionColumns> {
    if (this.size <= 1) return this.child.next();
    while (this.window.length < this.size) this.window.push(this.child.next());
    this.window[this.rng.int(this.size)] = this.child.next();
    return this.window[this.rng.int(this.size)] as SampleBatch<TransitionColumns>;
  }
}

/** RLlib's `MixedInput`: every `next()` picks one source with its probability and returns that source's batch (a mix by batch, not by row). */
export class MixedInput implements InputReader {
  /** Mixes `sources` (probabilities adding up to 1), drawing from `rng`. */
  constructor(
    private readonly sources: readonly { readonly probability: number; readonly reader: InputReader }[],
    private readonly rng: Rng,
  ) {}

  next(): SampleBatch<TransitionColumns> {
    let u = this.rng.random();
    for (const source of this.sources) {
      u -= source.probability;
      if (u < 0) return source.reader.next();
    }
    return (this.sources[this.sources.length - 1] as { reader: InputReader }).reader.next();
  }
}
