import { type DenseLayer, LayoutBuilder, type WeightEntry } from './layout.js';
import { denseForward, type PreparedDense, prepareDense } from './mlpForward.js';

/**
 * Plain-data description of a Wolpertinger actor-critic over item embeddings (Dulac-Arnold et al.
 * 2015): an actor MLP from the state features to a proto-action on the unit sphere, `numItems`
 * learned item embeddings (L2-normalised when used), and a critic MLP on concat(state, item
 * embedding). Hidden layers are ReLU; the state features are `stateDim` numbers at `stateOffset`
 * of each flat observation.
 */
export interface WolpertingerSpec {
  readonly obsDim: number;
  readonly stateOffset: number;
  readonly stateDim: number;
  readonly numItems: number;
  readonly embeddingDim: number;
  readonly actorHiddens: readonly number[];
  readonly criticHiddens: readonly number[];
}

/** A weight set's layout: its size, entries and layers. */
export interface MlpLayout {
  readonly size: number;
  readonly entries: readonly WeightEntry[];
  readonly layers: readonly DenseLayer[];
}

function mlpLayout(prefix: string, inputs: number, hiddens: readonly number[], outputs: number, outScale: number): MlpLayout {
  const b = new LayoutBuilder();
  const layers = [...b.stack(`${prefix}/fc`, inputs, hiddens), b.dense(`${prefix}/out`, hiddens.at(-1) ?? inputs, outputs, outScale)];
  return { size: b.size, entries: b.entries, layers };
}

/** The actor's layout: state → hiddens → embeddingDim (the proto-action before normalisation). */
export function wolpertingerActorLayout(spec: WolpertingerSpec): MlpLayout {
  return mlpLayout('actor', spec.stateDim, spec.actorHiddens, spec.embeddingDim, 0.01);
}

/** The critic's layout: concat(state, item embedding) → hiddens → Q. */
export function wolpertingerCriticLayout(spec: WolpertingerSpec): MlpLayout {
  return mlpLayout('critic', spec.stateDim + spec.embeddingDim, spec.criticHiddens, 1, 0.01);
}

/** Scales each `dim`-long row of `values` to unit length in place (a zero row stays zero). */
export function normalizeRows(values: Float32Array, dim: number): Float32Array {
  for (let at = 0; at + dim <= values.length; at += dim) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += (values[at + j] as number) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) values[at + j] = (values[at + j] as number) * scale;
  }
  return values;
}

/**
 * The indices of the `k` rows of `items` (`n × dim`) nearest to `point` by Euclidean distance,
 * nearest first (ties: lower index first).
 */
export function nearestItems(point: ArrayLike<number>, items: Float32Array, dim: number, k: number): Int32Array {
  const n = items.length / dim;
  const distances = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let j = 0; j < dim; j++) d += ((point[j] as number) - (items[i * dim + j] as number)) ** 2;
    distances[i] = d;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (distances[a] as number) - (distances[b] as number) || a - b);
  return Int32Array.from(order.slice(0, k));
}

function runMlp(
  layers: readonly PreparedDense[],
  input: Float32Array,
  rows: number,
  scratch: [Float32Array, Float32Array],
  out: Float32Array,
) {
  let x = input;
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1;
    const target = last ? out : (scratch[i % 2] as Float32Array);
    denseForward(layer, x, rows, target, last ? 'linear' : 'relu');
    x = target;
  });
}

/**
 * Wolpertinger's acting path in plain typed-array loops: the normalised proto-action, its k
 * nearest normalised item embeddings, and the critic's best among them.
 */
export class WolpertingerInference {
  readonly spec: WolpertingerSpec;
  readonly actorLayout: MlpLayout;
  readonly criticLayout: MlpLayout;
  private actor: PreparedDense[];
  private critic: PreparedDense[];
  private embeddings: Float32Array;
  private readonly scratch: [Float32Array, Float32Array];

  /** Zero weights until `setWeights`. */
  constructor(spec: WolpertingerSpec) {
    this.spec = spec;
    this.actorLayout = wolpertingerActorLayout(spec);
    this.criticLayout = wolpertingerCriticLayout(spec);
    this.actor = this.actorLayout.layers.map((l) => prepareDense(l, new Float32Array(this.actorLayout.size)));
    this.critic = this.criticLayout.layers.map((l) => prepareDense(l, new Float32Array(this.criticLayout.size)));
    this.embeddings = new Float32Array(spec.numItems * spec.embeddingDim);
    const widest = Math.max(spec.stateDim + spec.embeddingDim, ...spec.actorHiddens, ...spec.criticHiddens, 1);
    this.scratch = [new Float32Array(spec.numItems * widest), new Float32Array(spec.numItems * widest)];
  }

  /** Installs the actor and critic weights and the (raw) item embeddings. */
  setWeights(actor: Float32Array, critic: Float32Array, embeddings: Float32Array): void {
    this.actor = this.actorLayout.layers.map((l) => prepareDense(l, actor));
    this.critic = this.criticLayout.layers.map((l) => prepareDense(l, critic));
    this.embeddings = normalizeRows(new Float32Array(embeddings), this.spec.embeddingDim);
  }

  /** The normalised item embeddings (`numItems × embeddingDim`). */
  get itemEmbeddings(): Float32Array {
    return this.embeddings;
  }

  private state(obs: ArrayLike<number>, row: number): Float32Array {
    const { obsDim, stateOffset, stateDim } = this.spec;
    return Float32Array.from({ length: stateDim }, (_, j) => obs[row * obsDim + stateOffset + j] as number);
  }

  /** The normalised proto-action of row `row`. */
  protoAction(obs: ArrayLike<number>, row: number): Float32Array {
    const out = new Float32Array(this.spec.embeddingDim);
    runMlp(this.actor, this.state(obs, row), 1, this.scratch, out);
    return normalizeRows(out, this.spec.embeddingDim);
  }

  /** The critic's Q of showing each of `items` in row `row`'s state. */
  criticValues(obs: ArrayLike<number>, row: number, items: ArrayLike<number>): Float32Array {
    const { stateDim, embeddingDim: E } = this.spec;
    const width = stateDim + E;
    const state = this.state(obs, row);
    const input = new Float32Array(items.length * width);
    for (let i = 0; i < items.length; i++) {
      input.set(state, i * width);
      const item = items[i] as number;
      input.set(this.embeddings.subarray(item * E, (item + 1) * E), i * width + stateDim);
    }
    const out = new Float32Array(items.length);
    runMlp(this.critic, input, items.length, this.scratch, out);
    return out;
  }

  /** The greedy item of row `row`: the critic's best among the `k` items nearest the proto-action. */
  act(obs: ArrayLike<number>, row: number, k: number): number {
    const candidates = nearestItems(this.protoAction(obs, row), this.embeddings, this.spec.embeddingDim, k);
    const q = this.criticValues(obs, row, candidates);
    let best = 0;
    for (let i = 1; i < q.length; i++) if ((q[i] as number) > (q[best] as number)) best = i;
    return candidates[best] as number;
  }
}
