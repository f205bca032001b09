import { DataError } from '@loomrl/core';
import type { RecoGymAction, RecoGymObservation } from '../types.js';

/**
 * RecoGym's `AbstractFeatureProvider.train_data()`: for every logged impression, the user's organic
 * view counts so far (accumulated over all of that user id's training rows, as RecoGym groups its
 * table by `u`), the action, the click (`delta`) and the logging propensity `ps`.
 */
export class RecoGymTrainData {
  /** Actions of the impressions, in arrival order. */
  readonly actions: number[] = [];
  /** Clicks (0 or 1) of the impressions. */
  readonly deltas: number[] = [];
  /** Logging propensities of the impressions. */
  readonly pss: number[] = [];
  private readonly rows: Float32Array[] = [];
  private readonly counts = new Map<number, Float32Array>();

  /** Training data over `numProducts` products; `agent` names the agent in errors. */
  constructor(
    readonly numProducts: number,
    private readonly agent: string,
  ) {}

  /** How many impressions are held. */
  get size(): number {
    return this.actions.length;
  }

  /** Adds one `train(observation, action, reward)` call's views and (when `action` is given) its impression. */
  add(observation: RecoGymObservation, action: RecoGymAction | null, reward: number | null): void {
    const user = observation.context.user;
    let counts = this.counts.get(user);
    if (counts === undefined) {
      counts = new Float32Array(this.numProducts);
      this.counts.set(user, counts);
    }
    for (const event of observation.sessions) {
      if (!Number.isInteger(event.v) || event.v < 0 || event.v >= this.numProducts) {
        throw new DataError(`${this.agent}.train: viewed product ${event.v} is outside [0, ${this.numProducts}).`);
      }
      counts[event.v] = (counts[event.v] as number) + 1;
    }
    if (action === null) return;
    if (!Number.isInteger(action.a) || action.a < 0 || action.a >= this.numProducts) {
      throw new DataError(`${this.agent}.train: action ${action.a} is outside [0, ${this.numProducts}).`);
    }
    if (!(action.ps > 0 && Number.isFinite(action.ps))) {
      throw new DataError(`${this.agent}.train: the logging propensity ps must be a finite number > 0, got ${action.ps}.`);
    }
    if (reward !== 0 && reward !== 1) {
      throw new DataError(`${this.agent}.train: an impression's reward must be 0 or 1, got ${String(reward)}.`);
    }
    this.rows.push(Float32Array.from(counts));
    this.actions.push(action.a);
    this.deltas.push(reward);
    this.pss.push(action.ps);
  }

  /** The feature row of impression `i`. */
  row(i: number): Float32Array {
    return this.rows[i] as Float32Array;
  }

  /** The feature rows (impressions × products, row-major) of the impressions `keep` selects (all by default). */
  features(keep: (row: number) => boolean = () => true): Float32Array {
    const chosen = this.rows.filter((_, i) => keep(i));
    const out = new Float32Array(chosen.length * this.numProducts);
    for (let i = 0; i < chosen.length; i++) out.set(chosen[i] as Float32Array, i * this.numProducts);
    return out;
  }

  /**
   * The impressions in groups of equal (features, ps — and click when `byClick`): the first
   * impression of each group, its size, and each impression's group. Consecutive impressions of a
   * user without new views share their features, so a sum over impressions is a weighted sum over
   * far fewer groups.
   */
  groups(byClick: boolean): { readonly first: number[]; readonly count: number[]; readonly groupOf: Int32Array } {
    const index = new Map<string, number>();
    const first: number[] = [];
    const count: number[] = [];
    const groupOf = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const key = `${byClick ? this.deltas[i] : ''}|${this.pss[i]}|${(this.rows[i] as Float32Array).join(',')}`;
      let g = index.get(key);
      if (g === undefined) {
        g = first.length;
        index.set(key, g);
        first.push(i);
        count.push(0);
      }
      count[g] = (count[g] as number) + 1;
      groupOf[i] = g;
    }
    return { first, count, groupOf };
  }
}
