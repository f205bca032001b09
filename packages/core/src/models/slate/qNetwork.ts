import { type DenseLayer, LayoutBuilder, type WeightEntry } from '../layout.js';
import { denseForward, type PreparedDense, prepareDense } from '../mlpForward.js';
import type { SlateObservationLayout } from './layout.js';

/**
 * Plain-data description of SlateQ's item Q network: Q(user, doc) for every candidate, from an MLP
 * (ReLU hidden layers, a linear scalar output) on `concat(user, doc)`. `perCandidate` towers are
 * RLlib's (one MLP per candidate position, no weight sharing); `shared` is the SlateQ paper's and
 * RecSim's Q(s, i) (one MLP for every candidate).
 */
export interface SlateQNetworkSpec {
  readonly layout: SlateObservationLayout;
  /** Hidden layer sizes (RLlib `fcnet_hiddens_per_candidate`). */
  readonly hiddens: readonly number[];
  readonly towers: 'perCandidate' | 'shared';
}

/** Where the towers' weights live in the flat `Float32Array`: `tower_k/fc_i`, `tower_k/q_out` (one tower when shared). */
export interface SlateQNetworkLayout {
  readonly size: number;
  readonly entries: readonly WeightEntry[];
  /** One list of layers per tower, the scalar output layer last. */
  readonly towers: readonly (readonly DenseLayer[])[];
}

/** The input width of a tower: user features then one document's features. */
export function slateQInputDim(spec: SlateQNetworkSpec): number {
  return spec.layout.userDim + spec.layout.docDim;
}

/** The layout of `spec`'s weights. */
export function slateQNetworkLayout(spec: SlateQNetworkSpec): SlateQNetworkLayout {
  const b = new LayoutBuilder();
  const count = spec.towers === 'shared' ? 1 : spec.layout.numCandidates;
  const inputs = slateQInputDim(spec);
  const last = spec.hiddens.at(-1) ?? inputs;
  const towers: DenseLayer[][] = [];
  for (let k = 0; k < count; k++) {
    towers.push([...b.stack(`tower_${k}/fc`, inputs, spec.hiddens), b.dense(`tower_${k}/q_out`, last, 1, 0.01)]);
  }
  return { size: b.size, entries: b.entries, towers };
}

/**
 * Writes the tower inputs `concat(user, doc_k)` of `rows` flat RecSim observations: candidate-major
 * (`[C][rows][U + D]`) for per-candidate towers, row-major (`[rows][C][U + D]`) for a shared tower.
 */
export function slateQInputs(spec: SlateQNetworkSpec, obs: ArrayLike<number>, rows: number, out: Float32Array): void {
  const { layout } = spec;
  const { userDim: U, docDim: D, numCandidates: C } = layout;
  const width = U + D;
  const candidateMajor = spec.towers === 'perCandidate';
  for (let r = 0; r < rows; r++) {
    const base = r * layout.obsDim;
    for (let k = 0; k < C; k++) {
      const at = (candidateMajor ? k * rows + r : r * C + k) * width;
      for (let j = 0; j < U; j++) out[at + j] = obs[base + layout.userOffset + j] as number;
      const doc = base + layout.docOffset + k * D;
      for (let j = 0; j < D; j++) out[at + U + j] = obs[doc + j] as number;
    }
  }
}

/**
 * The item Q network's forward pass in plain typed-array loops, for acting in samplers (the
 * learner's tfjs twin gives the same numbers to ~1e-5).
 */
export class SlateQNetworkInference {
  readonly spec: SlateQNetworkSpec;
  readonly layout: SlateQNetworkLayout;
  private towers: PreparedDense[][];
  private capacity = 0;
  private inputs = new Float32Array(0);
  private scratch: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  private towerOut = new Float32Array(0);
  private q = new Float32Array(0);

  /** A network for `spec` with zero weights until `setWeights`. */
  constructor(spec: SlateQNetworkSpec) {
    this.spec = spec;
    this.layout = slateQNetworkLayout(spec);
    this.towers = this.prepare(new Float32Array(this.layout.size));
  }

  private prepare(weights: Float32Array): PreparedDense[][] {
    return this.layout.towers.map((layers) => layers.map((layer) => prepareDense(layer, weights)));
  }

  /** Replaces the weights (the flat layout of `slateQNetworkLayout`). */
  setWeights(weights: Float32Array): void {
    if (weights.length !== this.layout.size) {
      throw new RangeError(`setWeights: expected ${this.layout.size} numbers for this SlateQ network, got ${weights.length}`);
    }
    this.towers = this.prepare(weights);
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    const C = this.spec.layout.numCandidates;
    const widest = Math.max(slateQInputDim(this.spec), ...this.spec.hiddens, 1);
    this.capacity = rows;
    this.inputs = new Float32Array(rows * C * slateQInputDim(this.spec));
    this.scratch = [new Float32Array(rows * C * widest), new Float32Array(rows * C * widest)];
    this.towerOut = new Float32Array(rows * C);
    this.q = new Float32Array(rows * C);
  }

  /** Runs one tower on `rows` inputs into `out` (`rows` numbers). */
  private runTower(layers: readonly PreparedDense[], input: Float32Array, rows: number, out: Float32Array): void {
    let x = input;
    layers.forEach((layer, i) => {
      const last = i === layers.length - 1;
      const target = last ? out : (this.scratch[i % 2] as Float32Array);
      denseForward(layer, x, rows, target, last ? 'linear' : 'relu');
      x = target;
    });
  }

  /** Q values of every candidate for `rows` flat observations, `rows × C` (a view, valid until the next call). */
  itemQValues(obs: ArrayLike<number>, rows: number): Float32Array {
    this.ensureCapacity(rows);
    const C = this.spec.layout.numCandidates;
    const width = slateQInputDim(this.spec);
    slateQInputs(this.spec, obs, rows, this.inputs);
    const q = this.q.subarray(0, rows * C);
    if (this.spec.towers === 'shared') {
      this.runTower(this.towers[0] as PreparedDense[], this.inputs, rows * C, q);
      return q;
    }
    const out = this.towerOut.subarray(0, rows);
    for (let k = 0; k < C; k++) {
      this.runTower(this.towers[k] as PreparedDense[], this.inputs.subarray(k * rows * width, (k + 1) * rows * width), rows, out);
      for (let r = 0; r < rows; r++) q[r * C + k] = out[r] as number;
    }
    return q;
  }
}
