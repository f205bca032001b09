import { type DenseLayer, LayoutBuilder, type WeightEntry } from '../layout.js';
import { denseForward, type PreparedDense, prepareDense } from '../mlpForward.js';
import type { SlateObservationLayout } from './layout.js';

/**
 * Plain-data description of SlateQ's item Q network: Q(user, doc) for every candidate, from an MLP
 * (ReLU hidden layers, a linear scalar output) on `concat(user, doc)`. `perCandidate` towers are
 * RLlib's (one MLP per candidate position, no weight sharing); `shared` is the SlateQ paper's and
 * RecSim's Q(s, i) (one MLP for every candidate). With `noClickTower`, one more MLP on
 * `concat(user, 1)` gives Q(s, ⊥), the value of the user clicking nothing (the paper's null item).
 */
export interface SlateQNetworkSpec {
  readonly layout: SlateObservationLayout;
  /** Hidden layer sizes (RLlib `fcnet_hiddens_per_candidate`). */
  readonly hiddens: readonly number[];
  readonly towers: 'perCandidate' | 'shared';
  readonly noClickTower: boolean;
}

/** Where the towers' weights live in the flat `Float32Array`: `tower_k/fc_i`, `tower_k/q_out` (one tower when shared), `no_click/…`. */
export interface SlateQNetworkLayout {
  readonly size: number;
  readonly entries: readonly WeightEntry[];
  /** One list of layers per item tower, the scalar output layer last. */
  readonly towers: readonly (readonly DenseLayer[])[];
  /** The no-click tower's layers, or `null`. */
  readonly noClick: readonly DenseLayer[] | null;
}

/** The input width of a tower: user features then one document's features. */
export function slateQInputDim(spec: SlateQNetworkSpec): number {
  return spec.layout.userDim + spec.layout.docDim;
}

/** The input width of the no-click tower: user features then a constant 1. */
export function noClickInputDim(spec: SlateQNetworkSpec): number {
  return spec.layout.userDim + 1;
}

function tower(b: LayoutBuilder, name: string, inputs: number, hiddens: readonly number[]): DenseLayer[] {
  return [...b.stack(`${name}/fc`, inputs, hiddens), b.dense(`${name}/q_out`, hiddens.at(-1) ?? inputs, 1, 0.01)];
}

/** The layout of `spec`'s weights. */
export function slateQNetworkLayout(spec: SlateQNetworkSpec): SlateQNetworkLayout {
  const b = new LayoutBuilder();
  const count = spec.towers === 'shared' ? 1 : spec.layout.numCandidates;
  const towers = Array.from({ length: count }, (_, k) => tower(b, `tower_${k}`, slateQInputDim(spec), spec.hiddens));
  const noClick = spec.noClickTower ? tower(b, 'no_click', noClickInputDim(spec), spec.hiddens) : null;
  return { size: b.size, entries: b.entries, towers, noClick };
}

/** Writes the no-click tower inputs `concat(user, 1)` of `rows` flat RecSim observations. */
export function noClickInputs(spec: SlateQNetworkSpec, obs: ArrayLike<number>, rows: number, out: Float32Array): void {
  const { layout } = spec;
  const width = noClickInputDim(spec);
  for (let r = 0; r < rows; r++) {
    const base = r * layout.obsDim + layout.userOffset;
    for (let j = 0; j < layout.userDim; j++) out[r * width + j] = obs[base + j] as number;
    out[r * width + layout.userDim] = 1;
  }
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
  private noClick: PreparedDense[] | null;
  private capacity = 0;
  private inputs = new Float32Array(0);
  private scratch: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  private towerOut = new Float32Array(0);
  private q = new Float32Array(0);
  private noClickIn = new Float32Array(0);
  private noClickQ = new Float32Array(0);

  /** A network for `spec` with zero weights until `setWeights`. */
  constructor(spec: SlateQNetworkSpec) {
    this.spec = spec;
    this.layout = slateQNetworkLayout(spec);
    const zero = new Float32Array(this.layout.size);
    this.towers = this.prepare(zero);
    this.noClick = this.layout.noClick?.map((layer) => prepareDense(layer, zero)) ?? null;
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
    this.noClick = this.layout.noClick?.map((layer) => prepareDense(layer, weights)) ?? null;
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
    this.noClickIn = new Float32Array(rows * noClickInputDim(this.spec));
    this.noClickQ = new Float32Array(rows);
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

  /** Q(s, ⊥) of `rows` flat observations (zeros without a no-click tower; a view, valid until the next call). */
  noClickValues(obs: ArrayLike<number>, rows: number): Float32Array {
    this.ensureCapacity(rows);
    const out = this.noClickQ.subarray(0, rows);
    if (this.noClick === null) return out.fill(0);
    noClickInputs(this.spec, obs, rows, this.noClickIn);
    this.runTower(this.noClick, this.noClickIn, rows, out);
    return out;
  }
}
