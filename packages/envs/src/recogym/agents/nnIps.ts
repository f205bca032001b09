import { ConfigError, createRng, LearnerError, type Rng } from '@loomrl/core';
import { drawFromWeights } from '../draws.js';
import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from '../types.js';
import { recoGymAction } from './action.js';
import { checkRange, type RecoGymAgentBaseOptions, resolveAgentOptions } from './options.js';
import { loadRecoGymTf, type RecoGymTensor, type RecoGymTf, type RecoGymTfBackendName, type RecoGymVariable } from './tfModule.js';
import { RecoGymTrainData } from './trainData.js';
import { RecoGymViewCounts } from './viewCounts.js';

const NAME = 'RecoGymNnIpsAgent';

/** Which IPS loss `RecoGymNnIpsAgent` minimises (see the class comment). */
export type RecoGymNnIpsLoss = 'recogym' | 'loggedAction';

/** Options of `RecoGymNnIpsAgent` (RecoGym's `nn_ips_args`, camelCase). */
export interface RecoGymNnIpsOptions extends RecoGymAgentBaseOptions {
  /** Sample the action from the network's distribution instead of taking its argmax. Default false. */
  readonly selectRandomly?: boolean;
  /** The IPS weight clipping constant. Default 111. */
  readonly M?: number;
  /** Plain SGD step size. Default 0.01. */
  readonly learningRate?: number;
  /** Full-batch SGD steps at build time. Default 100. */
  readonly numEpochs?: number;
  /** Width of the two sigmoid hidden layers. Default 20. */
  readonly numHidden?: number;
  /** Weight λ of the standard-error penalty λ·√(Var(u)/N). Default 0.01. */
  readonly lambdaVal?: number;
  /** `'recogym'` (default): RecoGym's loss as it is; `'loggedAction'`: the clipped counterfactual risk it was meant to be. */
  readonly ipsLoss?: RecoGymNnIpsLoss;
  /** TensorFlow.js backend of the training. Default `'auto'` (tfjs-node if installed, else wasm, else cpu). */
  readonly backend?: RecoGymTfBackendName;
}

/** The network's parameters, row-major with inputs along rows: `w1` P×H, `w2` H×H, `w3` H×P. */
export interface RecoGymNnIpsWeights {
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  w3: Float32Array;
  b3: Float32Array;
}

const LAYERS = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'] as const;

/** The grouped training batch: one row per group of impressions with equal features and ps. */
interface IpsBatch {
  readonly x: RecoGymTensor;
  /** 1/ps of each group, on every product column. */
  readonly inversePs: RecoGymTensor;
  /** −click of the group on every column ('recogym' groups by click too). */
  readonly negDelta: RecoGymTensor;
  /** 'recogym': the group size on every column; 'loggedAction': the group's clicks on each product. */
  readonly weight: RecoGymTensor;
}

interface Settings {
  readonly numProducts: number;
  readonly withPsAll: boolean;
  readonly randomSeed: number;
  readonly selectRandomly: boolean;
  readonly M: number;
  readonly learningRate: number;
  readonly numEpochs: number;
  readonly numHidden: number;
  readonly lambdaVal: number;
  readonly ipsLoss: RecoGymNnIpsLoss;
}

function resolve(options: RecoGymNnIpsOptions): Settings {
  const own = ['selectRandomly', 'M', 'learningRate', 'numEpochs', 'numHidden', 'lambdaVal', 'ipsLoss', 'backend'];
  const base = resolveAgentOptions(NAME, options, own);
  const ipsLoss = options.ipsLoss ?? 'recogym';
  if (ipsLoss !== 'recogym' && ipsLoss !== 'loggedAction') {
    throw new ConfigError(`${NAME}: ipsLoss must be 'recogym' or 'loggedAction', got ${JSON.stringify(ipsLoss)}`);
  }
  const integer = (key: 'numEpochs' | 'numHidden', value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) throw new ConfigError(`${NAME}: ${key} must be an integer >= ${min}, got ${value}`);
    return value;
  };
  return {
    ...base,
    selectRandomly: options.selectRandomly ?? false,
    M: checkRange(NAME, 'M', options.M ?? 111, Number.MIN_VALUE, Number.MAX_VALUE),
    learningRate: checkRange(NAME, 'learningRate', options.learningRate ?? 0.01, 0, 1e6),
    numEpochs: integer('numEpochs', options.numEpochs ?? 100, 0),
    numHidden: integer('numHidden', options.numHidden ?? 20, 1),
    lambdaVal: checkRange(NAME, 'lambdaVal', options.lambdaVal ?? 0.01, 0, 1e9),
    ipsLoss,
  };
}

/** PyTorch's `nn.Linear` initialisation: weights and biases uniform in ±1/√fan_in. */
function linearInit(rng: Rng, fanIn: number, fanOut: number): { w: Float32Array; b: Float32Array } {
  const bound = 1 / Math.sqrt(fanIn);
  const w = Float32Array.from({ length: fanIn * fanOut }, () => rng.uniform(-bound, bound));
  const b = Float32Array.from({ length: fanOut }, () => rng.uniform(-bound, bound));
  return { w, b };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** out = act(x·w + b) for one row `x` (w row-major, inputs along rows). */
function dense(x: ArrayLike<number>, w: Float32Array, b: Float32Array, act: (v: number) => number): Float64Array {
  const n = b.length;
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = b[j] as number;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    if (xi === 0) continue;
    for (let j = 0; j < n; j++) out[j] = (out[j] as number) + xi * (w[i * n + j] as number);
  }
  for (let j = 0; j < n; j++) out[j] = act(out[j] as number);
  return out;
}

/**
 * RecoGym's `NnIpsAgent`: a network P → H (sigmoid) → H (sigmoid) → P (softmax) over the user's
 * organic view counts, trained once — at the first `act`, on everything `train` recorded — by
 * `numEpochs` full-batch SGD steps on an IPS loss over the logged impressions (count features,
 * action a, click c, logging propensity ps). `act` recommends the argmax of the network's
 * distribution (or samples it with `selectRandomly`) with `ps` = the network's probability of the
 * chosen product. Training runs on TensorFlow.js (`await RecoGymNnIpsAgent.create(options)` loads it);
 * acting is a plain-JS forward pass.
 *
 * `ipsLoss: 'recogym'` (default) is RecoGym's loss exactly: u = Threshold(M, M)(π/ps)·(−c) over
 * **every** product column of the N × P output, loss = mean(u) + λ·√(Var(u)/N) (unbiased variance
 * over all N·P entries). PyTorch's `Threshold(M, M)` keeps x only where x > M and writes M
 * elsewhere, so whenever every π/ps ≤ M (always with the uniform logger and P ≤ M = 111), u is the
 * constant −M·c, the gradient is exactly zero and the network keeps its initial weights.
 * `'loggedAction'` is the clipped counterfactual risk that loss was meant to be:
 * u = −c·min(π(a|x)/ps, M) on the logged action only, with the same penalty.
 */
export class RecoGymNnIpsAgent implements RecoGymAgent {
  /** The network's parameters (PyTorch's `nn.Linear` init from the agent's seed until trained). */
  readonly weights: RecoGymNnIpsWeights;
  /** The loss before each SGD step of the last `fit` (empty before it). */
  lossHistory: number[] = [];
  private readonly settings: Settings;
  private readonly tf: RecoGymTf;
  private readonly data: RecoGymTrainData;
  private readonly views: RecoGymViewCounts;
  private readonly actRng: Rng;
  private built = false;

  private constructor(settings: Settings, tf: RecoGymTf) {
    this.settings = settings;
    this.tf = tf;
    const { numProducts: p, numHidden: h, randomSeed } = settings;
    const init = createRng(randomSeed, 'recogym-agent', 'nnIps', 'init');
    const [l1, l2, l3] = [linearInit(init, p, h), linearInit(init, h, h), linearInit(init, h, p)];
    this.weights = { w1: l1.w, b1: l1.b, w2: l2.w, b2: l2.b, w3: l3.w, b3: l3.b };
    this.actRng = createRng(randomSeed, 'recogym-agent', 'nnIps', 'act');
    this.data = new RecoGymTrainData(p, NAME);
    this.views = new RecoGymViewCounts(p);
  }

  /** An untrained agent with TensorFlow.js loaded; bad options are a `ConfigError`. */
  static async create(options: RecoGymNnIpsOptions = {}): Promise<RecoGymNnIpsAgent> {
    const settings = resolve(options);
    return new RecoGymNnIpsAgent(settings, await loadRecoGymTf(NAME, options.backend));
  }

  /** The TensorFlow.js backend training runs on. */
  get backend(): string {
    return this.tf.backend;
  }

  /** How many logged impressions `train` has recorded. */
  get numRows(): number {
    return this.data.size;
  }

  train(observation: RecoGymObservation, action: RecoGymAction | null, reward: number | null, _done = false): void {
    this.data.add(observation, action, reward);
  }

  /** The network's distribution over products for view counts `counts`. */
  probabilities(counts: ArrayLike<number>): Float64Array {
    const { w1, b1, w2, b2, w3, b3 } = this.weights;
    const z = dense(dense(dense(counts, w1, b1, sigmoid), w2, b2, sigmoid), w3, b3, (v) => v);
    let max = Number.NEGATIVE_INFINITY;
    for (const v of z) max = Math.max(max, v);
    let sum = 0;
    for (let i = 0; i < z.length; i++) {
      z[i] = Math.exp((z[i] as number) - max);
      sum += z[i] as number;
    }
    for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) / sum;
    return z;
  }

  act(observation: RecoGymObservation, _reward: number | null = null, _done = false): RecoGymAction {
    if (!this.built) {
      this.fit();
      this.built = true;
    }
    this.views.observe(observation);
    const prob = this.probabilities(this.views.counts);
    let a = 0;
    if (this.settings.selectRandomly) a = drawFromWeights(this.actRng, prob, 1);
    else for (let i = 1; i < prob.length; i++) if ((prob[i] as number) > (prob[a] as number)) a = i;
    const psA = !this.settings.withPsAll ? undefined : this.settings.selectRandomly ? prob : prob.map((_, i) => (i === a ? 1 : 0));
    return recoGymAction(observation, a, prob[a] as number, psA);
  }

  /**
   * Trains on every impression recorded so far (RecoGym's `build()`; the first `act` calls it):
   * `numEpochs` full-batch SGD steps; returns the loss before each. No impressions: no steps.
   * A non-finite loss or weight is a `LearnerError`.
   */
  fit(): number[] {
    const n = this.data.size;
    this.lossHistory = [];
    if (n === 0 || this.settings.numEpochs === 0) return this.lossHistory;
    const { tf } = this.tf;
    const { numProducts: p, numHidden: h, learningRate, numEpochs } = this.settings;
    this.tf.use();
    const shapes: Record<(typeof LAYERS)[number], number[]> = { w1: [p, h], b1: [h], w2: [h, h], b2: [h], w3: [h, p], b3: [p] };
    const variables = LAYERS.map((name) => tf.variable(tf.tensor(this.weights[name], shapes[name])));
    const batch = this.batch();
    const optimizer = tf.train.sgd(learningRate);
    try {
      for (let epoch = 0; epoch < numEpochs; epoch++) {
        this.tf.use();
        const loss = optimizer.minimize(() => this.lossOf(variables, batch) as never, true, variables);
        const value = (loss as NonNullable<typeof loss>).dataSync()[0] as number;
        loss?.dispose();
        this.lossHistory.push(value);
        if (!Number.isFinite(value)) {
          throw new LearnerError(
            `${NAME}: the IPS loss became ${value} at SGD step ${epoch + 1} (lower learningRate, or log more clicks).`,
          );
        }
      }
      LAYERS.forEach((name, i) => {
        this.weights[name].set((variables[i] as (typeof variables)[number]).dataSync());
      });
    } finally {
      optimizer.dispose();
      tf.dispose([...variables, ...Object.values(batch)]);
    }
    for (const name of LAYERS) {
      if (!this.weights[name].every(Number.isFinite)) throw new LearnerError(`${NAME}: SGD made the weights ${name} non-finite.`);
    }
    return this.lossHistory;
  }

  /**
   * The training batch. Impressions with equal (features, ps) give equal loss terms up to the click
   * (and, for 'loggedAction', the action): one row per group (tfjs's ops cost per row), with the
   * group sizes ('recogym', grouped by click too) or the per-product click counts ('loggedAction').
   */
  private batch(): IpsBatch {
    const { tf } = this.tf;
    const { numProducts: p } = this.settings;
    const n = this.data.size;
    const loggedAction = this.settings.ipsLoss === 'loggedAction';
    const { first, count, groupOf } = this.data.groups(!loggedAction);
    const g = first.length;
    const member = new Set(first);
    const x = tf.tensor2d(
      this.data.features((i) => member.has(i)),
      [g, p],
    );
    // Constants shaped like the G × P output they multiply (tfjs's broadcasting ops are slow).
    const perEntry = (value: (i: number, k: number) => number) => {
      const out = new Float32Array(g * p);
      first.forEach((i, k) => {
        out.fill(value(i, k), k * p, (k + 1) * p);
      });
      return tf.tensor2d(out, [g, p]);
    };
    const inversePs = perEntry((i) => 1 / (this.data.pss[i] as number));
    const negDelta = perEntry((i) => -(this.data.deltas[i] as number));
    let weight: RecoGymTensor;
    if (loggedAction) {
      const clicks = new Float32Array(g * p);
      for (let i = 0; i < n; i++) {
        const at = (groupOf[i] as number) * p + (this.data.actions[i] as number);
        if (this.data.deltas[i] === 1) clicks[at] = (clicks[at] as number) + 1;
      }
      weight = tf.tensor2d(clicks, [g, p]);
    } else {
      weight = perEntry((_, k) => count[k] as number);
    }
    return { x, inversePs, negDelta, weight };
  }

  /** The IPS loss of the network `variables` on the batch (see the class comment). */
  private lossOf(variables: RecoGymVariable[], batch: IpsBatch): RecoGymTensor {
    const { tf } = this.tf;
    const { x, inversePs, negDelta, weight } = batch;
    const [w1, b1, w2, b2, w3, b3] = variables as RecoGymTensor[] as [
      RecoGymTensor,
      RecoGymTensor,
      RecoGymTensor,
      RecoGymTensor,
      RecoGymTensor,
      RecoGymTensor,
    ];
    const h1 = tf.sigmoid(tf.add(tf.matMul(x, w1), b1));
    const h2 = tf.sigmoid(tf.add(tf.matMul(h1, w2), b2));
    const ratio = tf.mul(tf.softmax(tf.add(tf.matMul(h2, w3), b3)), inversePs);
    const { M, lambdaVal, ipsLoss, numProducts } = this.settings;
    const n = this.data.size;
    if (ipsLoss === 'recogym') {
      // u = Threshold(M, M)(π/ps)·(−c) on all N·P entries, each group's standing for `weight` of them.
      // Threshold(M, M) (x where x > M, else M) is written M + relu(x − M): the same gradient (1 above M, 0 below).
      const entries = n * numProducts;
      const u = tf.mul(tf.add(tf.relu(tf.sub(ratio, M)), M), negDelta);
      const mean = tf.div(tf.sum(tf.mul(u, weight)), entries);
      const sumSquares = tf.sum(tf.mul(tf.square(tf.sub(u, mean)), weight));
      return tf.add(mean, tf.mul(lambdaVal, tf.sqrt(tf.div(tf.div(sumSquares, entries - 1), n))));
    }
    // u_n = −c_n·min(π(a_n|x_n)/ps_n, M): Σu = −Σ C·min(·), Σu² = Σ C·min(·)² over the per-product click counts C.
    const clipped = tf.minimum(ratio, M);
    const mean = tf.neg(tf.div(tf.sum(tf.mul(clipped, weight)), n));
    const sumSquares = tf.sub(tf.sum(tf.mul(tf.square(clipped), weight)), tf.mul(n, tf.square(mean)));
    return tf.add(mean, tf.mul(lambdaVal, tf.sqrt(tf.div(tf.div(sumSquares, n - 1), n))));
  }

  reset(): void {
    this.views.reset();
  }
}
