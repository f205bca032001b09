import { ConfigError, createRng, LearnerError } from '@loomrl/core';
import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from '../types.js';
import { recoGymAction } from './action.js';
import { minimizeLbfgs } from './lbfgs.js';
import { checkRange, type RecoGymAgentBaseOptions, resolveAgentOptions } from './options.js';
import { loadRecoGymTf, type RecoGymTensor, type RecoGymTf, type RecoGymTfBackendName } from './tfModule.js';
import { RecoGymTrainData } from './trainData.js';
import { RecoGymViewCounts } from './viewCounts.js';

const NAME = 'RecoGymPyTorchMLRAgent';

/** Options of `RecoGymPyTorchMLRAgent` (RecoGym's `pytorch_mlr_args`, camelCase). */
export interface RecoGymPyTorchMLROptions extends RecoGymAgentBaseOptions {
  /** Accepted and unused, as in RecoGym (its L-BFGS loop always runs 200 steps). Default 30. */
  readonly nEpochs?: number;
  /** Accepted and unused, as in RecoGym (its L-BFGS has step size 1). Default 0.01. */
  readonly learningRate?: number;
  /** Maximise the IPS-weighted log-probability of clicked actions instead of the IPS-weighted probability. Default false. */
  readonly logIPS?: boolean;
  /** Weight of the standard error of the IPS estimate added to the policy loss (POEM). Default 0. */
  readonly variancePenalisationStrength?: number;
  /** IPS weight cap M: false = none, true = the 90th / 10th percentile ratio of the clicked rows' ps, a number = M. Default false. */
  readonly clipWeights?: boolean | number;
  /** Mix of the losses: 0 = the IPS policy (contextual bandit), 1 = the click likelihood, between = (1 − α)·policy + α·likelihood. Default 0. */
  readonly alpha?: number;
  /** Weight the likelihood's per-row cross-entropy by 1/ps. Default true. */
  readonly llIPS?: boolean;
  /** L-BFGS iteration limit (RecoGym's fixed loop of 200; LoomRL also stops once converged). Default 200. */
  readonly maxIterations?: number;
  /** TensorFlow.js backend of the loss and its gradient. Default `'auto'` (tfjs-node if installed, else wasm, else cpu). */
  readonly backend?: RecoGymTfBackendName;
}

interface Settings {
  readonly numProducts: number;
  readonly randomSeed: number;
  readonly logIPS: boolean;
  readonly variancePenalisationStrength: number;
  readonly clipWeights: boolean | number;
  readonly alpha: number;
  readonly llIPS: boolean;
  readonly maxIterations: number;
}

function resolve(options: RecoGymPyTorchMLROptions): Settings {
  const own = [
    'nEpochs',
    'learningRate',
    'logIPS',
    'variancePenalisationStrength',
    'clipWeights',
    'alpha',
    'llIPS',
    'maxIterations',
    'backend',
  ];
  const base = resolveAgentOptions(NAME, options, own);
  const clipWeights = options.clipWeights ?? false;
  if (typeof clipWeights !== 'boolean' && !(typeof clipWeights === 'number' && clipWeights > 0)) {
    throw new ConfigError(`${NAME}: clipWeights must be true, false or a number > 0, got ${JSON.stringify(clipWeights)}`);
  }
  const maxIterations = options.maxIterations ?? 200;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new ConfigError(`${NAME}: maxIterations must be an integer >= 0, got ${maxIterations}`);
  }
  return {
    ...base,
    logIPS: options.logIPS ?? false,
    variancePenalisationStrength: checkRange(NAME, 'variancePenalisationStrength', options.variancePenalisationStrength ?? 0, 0, 1e9),
    clipWeights,
    alpha: checkRange(NAME, 'alpha', options.alpha ?? 0, 0, 1),
    llIPS: options.llIPS ?? true,
    maxIterations,
  };
}

/** numpy's `percentile` (linear interpolation between the order statistics). */
function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (q / 100) * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return (sorted[low] as number) + (position - low) * ((sorted[high] as number) - (sorted[low] as number));
}

/** The training batch as tensors: all impressions, and the clicked ones for the policy loss. */
interface Batch {
  /** One row per group of impressions with equal features and ps (the likelihood's data). */
  readonly x: RecoGymTensor;
  /** Per group and product: clicks, and impressions without a click, each × 1/ps with `llIPS`. */
  readonly clicks: RecoGymTensor;
  readonly misses: RecoGymTensor;
  readonly x1: RecoGymTensor;
  readonly taken1: RecoGymTensor;
  readonly weights1: RecoGymTensor;
}

/**
 * RecoGym's `PyTorchMLRAgent`: a P × P weight matrix W over the user's organic view counts x (plus
 * one scalar bias b used only by the likelihood), fitted once — at the first `act`, on everything
 * `train` recorded — by full-batch L-BFGS, then `act` recommends argmax x·Wᵀ with ps = 1 (and
 * the one-hot `psA`, always, as RecoGym). The loss (the objective is evaluated and differentiated
 * on TensorFlow.js; `await RecoGymPyTorchMLRAgent.create(options)` loads it):
 *
 * - policy (α < 1), over the clicked impressions with IPS weights w = 1/ps: π = softmax(x·Wᵀ)[a];
 *   loss −min(π·w, M) averaged (or −log(max(π, 1e-10))·w with `logIPS`), plus
 *   `variancePenalisationStrength` × √(Σ(ℓ − ℓ̄)² / (N₁ − 1) / N₁) of the (non-log) losses ℓ;
 * - likelihood (α > 0), over all impressions: the binary cross-entropy of σ(x·W[a] + b) against
 *   the click (log clamped at −100, as PyTorch's `BCELoss`; computed as softplus so float32 σ = 1 keeps
 *   a finite gradient), times w with `llIPS`, averaged;
 * - α = 0 the policy, α = 1 the likelihood, else (1 − α)·policy + α·likelihood.
 *
 * RecoGym's leaderboard runs it as "CB" (defaults), "CB-log" (`logIPS: true`) and "likelihood"
 * (`alpha: 1`). Differences from RecoGym: parameters start from LoomRL's seeded stream (PyTorch's
 * bounds ±1/√P), and the line search is LoomRL's backtracking Armijo search where RecoGym uses
 * hjmshi's Wolfe search, so the iterates differ while the optimum is the same.
 */
export class RecoGymPyTorchMLRAgent implements RecoGymAgent {
  /** W, P × P row-major (row a = the weights of product a), then the bias b. */
  readonly parameters: Float64Array;
  /** The loss at the end of the last fit (NaN before it). */
  lastLoss = Number.NaN;
  /** L-BFGS iterations of the last fit. */
  iterations = 0;
  private readonly settings: Settings;
  private readonly tf: RecoGymTf;
  private readonly data: RecoGymTrainData;
  private readonly views: RecoGymViewCounts;
  private built = false;
  /** The greedy action for the current user's views; −1 when they changed. */
  private cachedAction = -1;
  private actUser = -1;
  /** `clipConstant()` of the data being fitted. */
  private clip = Number.POSITIVE_INFINITY;

  private constructor(settings: Settings, tf: RecoGymTf) {
    this.settings = settings;
    this.tf = tf;
    const p = settings.numProducts;
    const rng = createRng(settings.randomSeed, 'recogym-agent', 'pytorchMLR');
    const bound = 1 / Math.sqrt(p);
    this.parameters = Float64Array.from({ length: p * p + 1 }, () => rng.uniform(-bound, bound));
    this.data = new RecoGymTrainData(p, NAME);
    this.views = new RecoGymViewCounts(p);
  }

  /** An untrained agent with TensorFlow.js loaded; bad options are a `ConfigError`. */
  static async create(options: RecoGymPyTorchMLROptions = {}): Promise<RecoGymPyTorchMLRAgent> {
    const settings = resolve(options);
    return new RecoGymPyTorchMLRAgent(settings, await loadRecoGymTf(NAME, options.backend));
  }

  /** The TensorFlow.js backend the loss runs on. */
  get backend(): string {
    return this.tf.backend;
  }

  /** How many logged impressions `train` has recorded. */
  get numRows(): number {
    return this.data.size;
  }

  /** The IPS weight cap M of the recorded data (`clipWeights`; ∞ when off). */
  clipConstant(): number {
    const { clipWeights } = this.settings;
    if (typeof clipWeights === 'number') return clipWeights;
    if (!clipWeights) return Number.POSITIVE_INFINITY;
    const clicked = this.data.pss.filter((_, i) => this.data.deltas[i] !== 0);
    return percentile(clicked, 90) / percentile(clicked, 10);
  }

  train(observation: RecoGymObservation, action: RecoGymAction | null, reward: number | null, _done = false): void {
    this.data.add(observation, action, reward);
  }

  act(observation: RecoGymObservation, _reward: number | null = null, _done = false): RecoGymAction {
    if (!this.built) {
      this.fit();
      this.built = true;
    }
    const user = observation.context.user;
    if (this.views.observe(observation) || user !== this.actUser) this.cachedAction = -1;
    this.actUser = user;
    const p = this.settings.numProducts;
    if (this.cachedAction < 0) this.cachedAction = this.argmax(this.views.counts);
    const best = this.cachedAction;
    return recoGymAction(
      observation,
      best,
      1,
      Array.from({ length: p }, (_, a) => (a === best ? 1 : 0)),
    );
  }

  /** argmax over products a of x·W[a] (the first on ties, as numpy's). */
  private argmax(x: ArrayLike<number>): number {
    const p = this.settings.numProducts;
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < p; a++) {
      let score = 0;
      for (let i = 0; i < p; i++) score += (x[i] as number) * (this.parameters[a * p + i] as number);
      if (score > bestScore) [best, bestScore] = [a, score];
    }
    return best;
  }

  /**
   * Fits W and b to every impression recorded so far (RecoGym's `build()`; the first `act` calls
   * it) and returns the final loss. No impressions — or, for the policy loss, no clicks — is a
   * `LearnerError`, as is a non-finite loss.
   */
  fit(): number {
    const { alpha, maxIterations } = this.settings;
    if (this.data.size === 0) throw new LearnerError(`${NAME}: no logged impressions to fit (train it on logged users first).`);
    if (alpha < 1 && !this.data.deltas.includes(1)) {
      throw new LearnerError(`${NAME}: the IPS policy loss (alpha < 1) needs clicked impressions; the logged data has none.`);
    }
    const batch = this.batch();
    try {
      const result = minimizeLbfgs((theta, gradient) => this.objectiveOn(batch, theta, gradient), this.parameters, {
        maxIterations,
        memory: 10,
      });
      this.lastLoss = result.value;
      this.iterations = result.iterations;
    } finally {
      this.tf.tf.dispose(Object.values(batch));
    }
    if (!Number.isFinite(this.lastLoss) || !this.parameters.every(Number.isFinite)) {
      throw new LearnerError(`${NAME}: L-BFGS ended with a non-finite loss or weights (loss ${this.lastLoss}).`);
    }
    return this.lastLoss;
  }

  /** The loss at parameters `theta` (layout of `parameters`) on the recorded data; writes its gradient into `gradient` when given. */
  objective(theta: Float64Array, gradient?: Float64Array): number {
    const batch = this.batch();
    try {
      return this.objectiveOn(batch, theta, gradient ?? new Float64Array(theta.length));
    } finally {
      this.tf.tf.dispose(Object.values(batch));
    }
  }

  private batch(): Batch {
    const { tf } = this.tf;
    const p = this.settings.numProducts;
    const { actions, deltas, pss } = this.data;
    this.clip = this.clipConstant();
    const clicked = (i: number) => deltas[i] !== 0;
    const n1 = deltas.filter((d) => d !== 0).length;
    this.tf.use();
    // The likelihood sums over impressions: group those with equal (features, ps) and count, per
    // product, the clicks and the misses (the same loss over far fewer rows; tfjs's ops cost per row).
    const { first, groupOf } = this.data.groups(false);
    const member = new Set(first);
    const clicks = new Float32Array(first.length * p);
    const misses = new Float32Array(first.length * p);
    for (let i = 0; i < actions.length; i++) {
      const at = (groupOf[i] as number) * p + (actions[i] as number);
      const w = this.settings.llIPS ? 1 / (pss[i] as number) : 1;
      if (clicked(i)) clicks[at] = (clicks[at] as number) + w;
      else misses[at] = (misses[at] as number) + w;
    }
    return tf.tidy(() => ({
      x: tf.tensor2d(
        this.data.features((i) => member.has(i)),
        [first.length, p],
      ),
      clicks: tf.tensor2d(clicks, [first.length, p]),
      misses: tf.tensor2d(misses, [first.length, p]),
      x1: tf.tensor2d(this.data.features(clicked), [n1, p]),
      taken1: tf
        .oneHot(
          tf.tensor1d(
            actions.filter((_, i) => clicked(i)),
            'int32',
          ),
          p,
        )
        .toFloat(),
      weights1: tf.tensor1d(pss.filter((_, i) => clicked(i)).map((v) => 1 / v)),
    }));
  }

  private objectiveOn(batch: Batch, theta: Float64Array, gradient: Float64Array): number {
    const { tf } = this.tf;
    const p = this.settings.numProducts;
    this.tf.use();
    const [value, grad] = tf.tidy(() => {
      const params = tf.tensor1d(Float32Array.from(theta));
      const out = tf.valueAndGrad((all: RecoGymTensor) => this.lossOf(batch, all, p) as never)(params as never);
      return [out.value as RecoGymTensor, out.grad as RecoGymTensor];
    }) as [RecoGymTensor, RecoGymTensor];
    const loss = value.dataSync()[0] as number;
    gradient.set(grad.dataSync());
    tf.dispose([value, grad]);
    if (!Number.isFinite(loss) || !gradient.every(Number.isFinite)) {
      throw new LearnerError(`${NAME}: the loss (${loss}) or its gradient is not finite at the current weights.`);
    }
    return loss;
  }

  private lossOf(batch: Batch, all: RecoGymTensor, p: number): RecoGymTensor {
    const { tf } = this.tf;
    const { alpha, logIPS, variancePenalisationStrength: strength } = this.settings;
    const w = tf.reshape(tf.slice(all, [0], [p * p]), [p, p]);
    let policy: RecoGymTensor | null = null;
    if (alpha < 1) {
      const { x1, taken1, weights1 } = batch;
      const pA = tf.sum(tf.mul(tf.softmax(tf.matMul(x1, w, false, true)), taken1), 1);
      const loss = tf.neg(tf.minimum(tf.mul(pA, weights1), this.clip));
      const logLoss = tf.neg(tf.mul(tf.log(tf.maximum(pA, 1e-10)), weights1));
      policy = tf.mean(logIPS ? logLoss : loss);
      if (strength) {
        const n1 = x1.shape[0] as number;
        const spread = tf.sqrt(tf.div(tf.div(tf.sum(tf.square(tf.sub(loss, tf.mean(loss)))), n1 - 1), n1));
        policy = tf.add(policy, tf.mul(strength, spread));
      }
    }
    let likelihood: RecoGymTensor | null = null;
    if (alpha > 0) {
      const { x, clicks, misses } = batch;
      const bias = tf.slice(all, [p * p], [1]);
      // Every product's logit x·W[a] + b for each group; log σ(z) = −softplus(−z) and
      // log(1 − σ(z)) = −softplus(z) keep the gradient finite where float32 σ rounds to 0 or 1.
      const logit = tf.add(tf.matMul(x, w, false, true), bias);
      const logP = tf.maximum(tf.neg(tf.softplus(tf.neg(logit))), -100);
      const logQ = tf.maximum(tf.neg(tf.softplus(logit)), -100);
      const nll = tf.neg(tf.add(tf.sum(tf.mul(clicks, logP)), tf.sum(tf.mul(misses, logQ))));
      likelihood = tf.div(nll, this.data.size);
    }
    if (policy === null) return likelihood as RecoGymTensor;
    if (likelihood === null) return policy;
    return tf.add(tf.mul(1 - alpha, policy), tf.mul(alpha, likelihood));
  }

  reset(): void {
    this.views.reset();
    this.cachedAction = -1;
  }
}
