import type { Activation } from '../config/settings.js';
import { DataError } from '../errors.js';
import { type DenseLayer, LayoutBuilder, type WeightEntry } from './layout.js';
import { denseForward, type PreparedDense, prepareDense } from './mlpForward.js';

/** Plain-data description of a Q network (RLlib DQN's model): a trunk, then a Q head or dueling streams. */
export interface QNetworkSpec {
  readonly obsDim: number;
  /** Discrete actions (Q values per observation). */
  readonly numActions: number;
  /** Trunk layer sizes (RLlib `model.fcnet_hiddens`) with `activation`. */
  readonly hiddens: readonly number[];
  readonly activation: Activation;
  /** Head layer sizes (RLlib DQN `hiddens`), ReLU, per stream. */
  readonly headHiddens: readonly number[];
  /** Separate value and advantage streams, Q = V + A − mean(A) (RLlib `dueling`). */
  readonly dueling: boolean;
}

/** Where a Q network's weights live in its flat `Float32Array`. */
export interface QNetworkLayout {
  readonly size: number;
  readonly entries: readonly WeightEntry[];
  readonly trunk: readonly DenseLayer[];
  /** The advantage stream (or the only head): hidden layers then the `numActions` output. */
  readonly advantage: readonly DenseLayer[];
  /** The value stream when dueling: hidden layers then one output; empty otherwise. */
  readonly value: readonly DenseLayer[];
}

/** The layout of `spec`'s weights: trunk `fc_i`, head `advantage_i` + `advantage_out`, and (dueling) `value_i` + `value_out`. */
export function qNetworkLayout(spec: QNetworkSpec): QNetworkLayout {
  const b = new LayoutBuilder();
  const trunk = b.stack('fc', spec.obsDim, spec.hiddens);
  const features = spec.hiddens.at(-1) ?? spec.obsDim;
  const headOut = spec.headHiddens.at(-1) ?? features;
  const advantage = [...b.stack('advantage', features, spec.headHiddens), b.dense('advantage_out', headOut, spec.numActions, 0.01)];
  const value = spec.dueling ? [...b.stack('value', features, spec.headHiddens), b.dense('value_out', headOut, 1, 0.01)] : [];
  return { size: b.size, entries: b.entries, trunk, advantage, value };
}

/**
 * The Q network's forward pass in plain typed-array loops, for acting in samplers and
 * `computeSingleAction` (the learner's tfjs twin gives the same numbers to ~1e-5).
 */
export class QNetworkInference {
  readonly spec: QNetworkSpec;
  readonly layout: QNetworkLayout;
  private prepared: { trunk: PreparedDense[]; advantage: PreparedDense[]; value: PreparedDense[] };
  private capacity = 0;
  private scratch: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  private features = new Float32Array(0);
  private values = new Float32Array(0);
  private q = new Float32Array(0);

  /** A network for `spec` with zero weights until `setWeights`. */
  constructor(spec: QNetworkSpec) {
    this.spec = spec;
    this.layout = qNetworkLayout(spec);
    this.prepared = this.prepare(new Float32Array(this.layout.size));
  }

  private prepare(weights: Float32Array) {
    const layers = (list: readonly DenseLayer[]) => list.map((layer) => prepareDense(layer, weights));
    return { trunk: layers(this.layout.trunk), advantage: layers(this.layout.advantage), value: layers(this.layout.value) };
  }

  /** Replaces the weights (the flat layout of `qNetworkLayout`). */
  setWeights(weights: Float32Array): void {
    if (weights.length !== this.layout.size) {
      throw new DataError(`setWeights: expected ${this.layout.size} numbers for this Q network, got ${weights.length}`);
    }
    this.prepared = this.prepare(weights);
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    const s = this.spec;
    const widest = Math.max(s.obsDim, s.numActions, ...s.hiddens, ...s.headHiddens, 1);
    this.capacity = rows;
    this.scratch = [new Float32Array(rows * widest), new Float32Array(rows * widest)];
    this.features = new Float32Array(rows * widest);
    this.values = new Float32Array(rows);
    this.q = new Float32Array(rows * s.numActions);
  }

  /** Runs `layers` (all but the last with `activation`, the last linear) from `input` into `target`. */
  private run(
    layers: readonly PreparedDense[],
    input: Float32Array,
    rows: number,
    target: Float32Array,
    hidden: Activation,
    lastLinear: boolean,
  ): void {
    let x = input;
    layers.forEach((layer, i) => {
      const last = i === layers.length - 1;
      const out = last ? target : (this.scratch[i % 2] as Float32Array);
      denseForward(layer, x, rows, out, last && lastLinear ? 'linear' : hidden);
      x = out;
    });
    if (layers.length === 0) target.set(input.subarray(0, target.length));
  }

  /** Q values of `rows` observations, `rows × numActions` (a view, valid until the next call). */
  qValues(obs: Float32Array, rows: number): Float32Array {
    this.ensureCapacity(rows);
    const s = this.spec;
    const featureWidth = s.hiddens.at(-1) ?? s.obsDim;
    const features = this.features.subarray(0, rows * featureWidth);
    this.run(this.prepared.trunk, obs, rows, features, s.activation, false);
    const q = this.q.subarray(0, rows * s.numActions);
    this.run(this.prepared.advantage, features, rows, q, 'relu', true);
    if (s.dueling) {
      const values = this.values.subarray(0, rows);
      this.run(this.prepared.value, features, rows, values, 'relu', true);
      const n = s.numActions;
      for (let r = 0; r < rows; r++) {
        let mean = 0;
        for (let a = 0; a < n; a++) mean += q[r * n + a] as number;
        mean /= n;
        const v = values[r] as number;
        for (let a = 0; a < n; a++) q[r * n + a] = v + (q[r * n + a] as number) - mean;
      }
    }
    return q;
  }
}
