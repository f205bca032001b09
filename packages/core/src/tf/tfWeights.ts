import { DataError } from '../errors.js';
import type { WeightEntry } from '../models/layout.js';
import { tf } from './backend.js';

/**
 * A network's weights as tfjs variables, one per entry of its flat layout, so `getWeights()` and
 * `setWeights()` exchange the same `Float32Array` the plain-JS inference twin uses.
 */
export class TfWeights {
  readonly size: number;
  /** Trainable variables, in layout order. */
  readonly variables: tf.Variable[];
  private readonly entries: readonly WeightEntry[];
  private readonly byName: Map<string, tf.Variable>;

  /** Variables for `layout`, set to `weights`. */
  constructor(layout: { readonly size: number; readonly entries: readonly WeightEntry[] }, weights: Float32Array, trainable = true) {
    this.size = layout.size;
    this.entries = layout.entries;
    this.variables = layout.entries.map((entry) => {
      const initial = tf.tensor(weights.subarray(entry.offset, entry.offset + entry.size), [...entry.shape], 'float32');
      const variable = tf.variable(initial, trainable);
      // The variable keeps the data; the initial tensor would otherwise outlive dispose().
      initial.dispose();
      return variable;
    });
    this.byName = new Map(layout.entries.map((entry, i) => [entry.name, this.variables[i] as tf.Variable]));
  }

  /** The variable of layout entry `name`. */
  get<R extends tf.Rank>(name: string): tf.Variable<R> {
    const variable = this.byName.get(name);
    if (variable === undefined) throw new DataError(`No weight "${name}" in this layout`);
    return variable as tf.Variable<R>;
  }

  /** The weights as one flat array in layout order. */
  getWeights(): Float32Array {
    const out = new Float32Array(this.size);
    this.entries.forEach((entry, i) => {
      out.set((this.variables[i] as tf.Variable).dataSync() as Float32Array, entry.offset);
    });
    return out;
  }

  /** Assigns every variable from a flat array in layout order. */
  setWeights(weights: Float32Array): void {
    if (weights.length !== this.size) {
      throw new DataError(`setWeights: expected ${this.size} numbers for this model, got ${weights.length}`);
    }
    tf.tidy(() => {
      this.entries.forEach((entry, i) => {
        (this.variables[i] as tf.Variable).assign(
          tf.tensor(weights.subarray(entry.offset, entry.offset + entry.size), [...entry.shape], 'float32'),
        );
      });
    });
  }

  /** Copies `other`'s values (same layout) into these variables: `tau` = 1 a hard copy, else target ← τ·other + (1−τ)·target. */
  assignFrom(other: TfWeights, tau = 1): void {
    tf.tidy(() => {
      this.variables.forEach((variable, i) => {
        const source = other.variables[i] as tf.Variable;
        variable.assign(tau === 1 ? source : tf.add(tf.mul(source, tau), tf.mul(variable, 1 - tau)));
      });
    });
  }

  /** Frees the variables. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
