import { randomBytes } from 'node:crypto';
import seedrandom from 'seedrandom';

/** The state of an `Rng`, plain data (survives JSON and structured clone). */
export interface RngState {
  readonly alea: seedrandom.State.Alea;
  readonly spareNormal: number | null;
}

/**
 * A seeded random stream (Alea via seedrandom). All randomness in LoomRL comes from these;
 * library code never calls `Math.random`.
 */
export class Rng {
  private prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>;
  private spareNormal: number | null = null;

  /** A stream seeded by `seed`; equal seeds give equal streams. */
  constructor(seed: number | string, state?: RngState) {
    if (state) {
      this.prng = seedrandom.alea('', { state: { ...state.alea } });
      this.spareNormal = state.spareNormal;
    } else {
      this.prng = seedrandom.alea(String(seed), { state: true });
    }
  }

  /** A float uniform in [0, 1). */
  random(): number {
    return this.prng();
  }

  /** A float uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.prng();
  }

  /** An integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** A standard normal draw (Box–Muller, caching the second value). */
  normal(): number {
    if (this.spareNormal !== null) {
      const value = this.spareNormal;
      this.spareNormal = null;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.prng();
    const v = this.prng();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** An exponential draw with rate 1. */
  exponential(): number {
    let u = 0;
    while (u === 0) u = this.prng();
    return -Math.log(u);
  }

  /** A fresh 32-bit unsigned integer, e.g. to seed a child stream. */
  uint32(): number {
    return this.prng.int32() >>> 0;
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng() * (i + 1));
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** The stream's full state, to save in a checkpoint. */
  getState(): RngState {
    return { alea: this.prng.state(), spareNormal: this.spareNormal };
  }

  /** Makes this stream continue exactly where `state` left off. */
  setState(state: RngState): void {
    this.prng = seedrandom.alea('', { state: { ...state.alea } });
    this.spareNormal = state.spareNormal;
  }

  /** A stream that continues exactly where `state` left off. */
  static fromState(state: RngState): Rng {
    return new Rng('', state);
  }
}

/**
 * The seed of a named sub-stream: streams derive from (config seed, worker index, env index,
 * purpose) so that every run with the same seed draws the same numbers in the same places.
 */
export function deriveSeed(seed: number | string, ...path: Array<number | string>): string {
  return [String(seed), ...path.map(String)].join('/');
}

/** A stream for the sub-stream `path` of `seed`. */
export function createRng(seed: number | string, ...path: Array<number | string>): Rng {
  return new Rng(deriveSeed(seed, ...path));
}

/** A 32-bit integer seed derived from `seed` and `path`, for APIs that take numeric seeds. */
export function deriveIntSeed(seed: number | string, ...path: Array<number | string>): number {
  return createRng(seed, ...path).uint32();
}

/**
 * A seed from the operating system's entropy, used only when the user gave no seed
 * (as Gymnasium does); a seeded run never calls this.
 */
export function entropySeed(): number {
  return randomBytes(4).readUInt32LE(0);
}
