import type { LearnerStats, Rng, SampleBatch } from '@loomrl/core';
import { actorOutputs, type OptimizerState } from '@loomrl/core/internal';
import type { DQNTrainColumns } from '../dqn/learner.js';
import { KernelSacNetworks } from './kernelNetworks.js';
import type { SACEngine, SACEngineInit, SACLearnerSettings, SACUpdate } from './learner.js';
import { normalNoise, type SacNetworkSpec } from './networkSpec.js';
import { SquashedGaussianSamples } from './squashedGaussian.js';

/** Rows the kernel networks are first sized for (they grow for larger replayed batches). */
const INITIAL_ROWS = 256;
const f32 = Math.fround;

/** One update's arrays, for up to `rows` rows. */
class Scratch {
  readonly nextInputs: Float32Array;
  readonly inputs: Float32Array;
  readonly dInputs: Float32Array;
  readonly nextLogProbs: Float32Array;
  readonly logProbs: Float32Array;
  readonly qNext: Float32Array[];
  readonly q: Float32Array[];
  readonly dQ: Float32Array;
  readonly y: Float32Array;
  readonly discounts: Float32Array;
  readonly dActions: Float32Array;
  readonly dLogp: Float32Array;
  readonly absTd: Float64Array;
  readonly next: SquashedGaussianSamples;
  readonly now: SquashedGaussianSamples;

  constructor(
    readonly rows: number,
    spec: SacNetworkSpec,
  ) {
    const dist = actorOutputs(spec.actor);
    const k = spec.actor.actionSize;
    const qOut = spec.critic.outputs;
    const count = spec.twinQ ? 2 : 1;
    this.nextInputs = new Float32Array(rows * dist);
    this.inputs = new Float32Array(rows * dist);
    this.dInputs = new Float32Array(rows * dist);
    this.nextLogProbs = new Float32Array(rows * k);
    this.logProbs = new Float32Array(rows * k);
    this.qNext = Array.from({ length: count }, () => new Float32Array(rows * qOut));
    this.q = Array.from({ length: count }, () => new Float32Array(rows * qOut));
    this.dQ = new Float32Array(rows * qOut);
    this.y = new Float32Array(rows);
    this.discounts = new Float32Array(rows);
    this.dActions = new Float32Array(rows * k);
    this.dLogp = new Float32Array(rows);
    this.absTd = new Float64Array(rows);
    this.next = new SquashedGaussianSamples(rows, k);
    this.now = new SquashedGaussianSamples(rows, k);
  }
}

/** log-softmax(logits / temperature) of `rows` rows of `n` into `out`. */
function logSoftmaxRows(logits: Float32Array, rows: number, n: number, temperature: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < n; a++) max = Math.max(max, (logits[r * n + a] as number) / temperature);
    let sum = 0;
    for (let a = 0; a < n; a++) sum += Math.exp((logits[r * n + a] as number) / temperature - max);
    const lse = max + Math.log(sum);
    for (let a = 0; a < n; a++) out[r * n + a] = (logits[r * n + a] as number) / temperature - lse;
  }
}

/**
 * SAC's updates (see `SACLearner`) on LoomRL's WebAssembly dense-net kernels: the nets' forward
 * and backward passes and the three Adam steps run in SIMD kernels, the loss heads in plain JS
 * here. The actor loss reaches the actor through the Q networks' input gradients (w.r.t. the
 * sampled actions) and the tanh squash (`SquashedGaussianSamples.backward`).
 */
export class KernelSACEngine implements SACEngine {
  private kernelNets: KernelSacNetworks;
  private scratch: Scratch;
  private readonly settings: SACLearnerSettings;
  private readonly targetEntropy: number;
  private readonly rng: Rng;

  /** Networks from `init.weights` (targets copy the Q networks) and their optimizers. */
  constructor(init: SACEngineInit) {
    this.kernelNets = new KernelSacNetworks(init.spec, init.weights, init.settings, INITIAL_ROWS);
    this.scratch = new Scratch(INITIAL_ROWS, init.spec);
    this.settings = init.settings;
    this.targetEntropy = init.targetEntropy;
    this.rng = init.rng;
  }

  get nets(): KernelSacNetworks {
    return this.kernelNets;
  }

  update(batch: SampleBatch<DQNTrainColumns>): SACUpdate {
    const rows = batch.count;
    if (rows > this.kernelNets.maxRows) {
      this.kernelNets = this.kernelNets.resized(rows, this.settings);
      this.scratch = new Scratch(rows, this.kernelNets.spec);
    }
    const c = batch.columns;
    for (let r = 0; r < rows; r++) this.scratch.discounts[r] = (c.nStepDiscounts[r] as number) * (1 - (c.terminateds[r] as number));
    return this.kernelNets.spec.discrete ? this.discreteUpdate(c, rows) : this.continuousUpdate(c, rows);
  }

  private continuousUpdate(c: DQNTrainColumns, rows: number): SACUpdate {
    const nets = this.kernelNets;
    const s = this.scratch;
    const k = nets.spec.actor.actionSize;
    const obsDim = nets.spec.actor.obsDim;
    const count = nets.criticCount;
    const logAlpha = nets.logAlpha;
    const alpha = f32(Math.exp(logAlpha));
    const eps = normalNoise(this.rng, rows, k);
    const epsNext = normalNoise(this.rng, rows, k);
    // y from ã′ ~ π(·|s′) and the target critics.
    nets.actorForward(c.nextObs, rows, s.nextInputs);
    s.next.draw(s.nextInputs, epsNext, rows);
    nets.setQInput(c.nextObs, s.next.actions, rows);
    for (let i = 0; i < count; i++) nets.qForward('target', i, rows, s.qNext[i] as Float32Array);
    for (let r = 0; r < rows; r++) {
      const qNext = f32(this.minOver(s.qNext, r) - f32(alpha * (s.next.logp[r] as number)));
      s.y[r] = f32((c.rewards[r] as number) + f32((s.discounts[r] as number) * qNext));
    }
    // The actor: ã ~ π(·|s) (the last actor pass, the one its backward differentiates), Q_i(s, ã).
    nets.actorForward(c.obs, rows, s.inputs);
    s.now.draw(s.inputs, eps, rows);
    nets.setQInput(c.obs, s.now.actions, rows);
    for (let i = 0; i < count; i++) nets.qForward('online', i, rows, s.q[i] as Float32Array);
    let actorLoss = 0;
    for (let r = 0; r < rows; r++) actorLoss += alpha * (s.now.logp[r] as number) - this.minOver(s.q, r);
    // d min(Q₁, Q₂): to Q₁ where Q₁ <= Q₂ (tfjs's tie rule), else to Q₂; the critics' weight gradients are overwritten below.
    for (let i = 0; i < count; i++) {
      for (let r = 0; r < rows; r++) s.dQ[r] = this.argMinOver(s.q, r) === i ? -1 / rows : 0;
      nets.qBackward(i, rows, s.dQ, true);
    }
    const dInput = nets.qInputGradient(rows);
    const width = obsDim + k;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < k; j++) s.dActions[r * k + j] = dInput[r * width + obsDim + j] as number;
    }
    s.dLogp.fill(alpha / rows, 0, rows);
    s.now.backward(s.dActions, s.dLogp, rows, s.dInputs);
    nets.actorBackward(rows, s.dInputs);
    const actorGnorm = nets.actorOptimizer.step();
    // α, on log π(ã|s) before the update.
    let entropyGap = 0;
    for (let r = 0; r < rows; r++) entropyGap += (s.now.logp[r] as number) + this.targetEntropy;
    entropyGap /= rows;
    nets.setLogAlphaGradient(-entropyGap);
    nets.alphaOptimizer.step();
    // The critics, on the replayed actions.
    nets.setQInput(c.obs, c.actions, rows);
    const critic = this.criticStep(c, rows, (_r) => 0);
    return {
      stats: this.stats(actorLoss / rows, -logAlpha * entropyGap, critic.loss, critic.q, alpha, actorGnorm),
      tdErrors: critic.tdErrors,
    };
  }

  private discreteUpdate(c: DQNTrainColumns, rows: number): SACUpdate {
    const nets = this.kernelNets;
    const s = this.scratch;
    const n = nets.spec.actor.actionSize;
    const temperature = nets.spec.actor.temperature;
    const count = nets.criticCount;
    const logAlpha = nets.logAlpha;
    const alpha = f32(Math.exp(logAlpha));
    // y = r + γ Σ_a π(a|s′)(min_i Q_i,target(s′, a) − α log π(a|s′)).
    nets.actorForward(c.nextObs, rows, s.nextInputs);
    logSoftmaxRows(s.nextInputs, rows, n, temperature, s.nextLogProbs);
    nets.setQInput(c.nextObs, null, rows);
    for (let i = 0; i < count; i++) nets.qForward('target', i, rows, s.qNext[i] as Float32Array);
    for (let r = 0; r < rows; r++) {
      let value = 0;
      for (let a = 0; a < n; a++) {
        const logp = s.nextLogProbs[r * n + a] as number;
        value += Math.exp(logp) * (this.minOver(s.qNext, r * n + a) - alpha * logp);
      }
      s.y[r] = f32((c.rewards[r] as number) + (s.discounts[r] as number) * value);
    }
    // The actor against Q₁(s, ·), held constant: L = mean Σ_a π_a (α log π_a − Q₁,a).
    nets.actorForward(c.obs, rows, s.inputs);
    logSoftmaxRows(s.inputs, rows, n, temperature, s.logProbs);
    nets.setQInput(c.obs, null, rows);
    const q1 = nets.qForward('online', 0, rows, s.q[0] as Float32Array);
    let actorLoss = 0;
    let entropyGap = 0;
    for (let r = 0; r < rows; r++) {
      let gradSum = 0;
      for (let a = 0; a < n; a++) {
        const logp = s.logProbs[r * n + a] as number;
        const p = Math.exp(logp);
        const term = alpha * logp - (q1[r * n + a] as number);
        actorLoss += p * term;
        entropyGap += p * (logp + this.targetEntropy);
        // ∂/∂log π_a of π_a·term (π_a = exp(log π_a)), then through log-softmax and the temperature.
        const g = (p * (term + alpha)) / rows;
        s.dInputs[r * n + a] = g;
        gradSum += g;
      }
      for (let a = 0; a < n; a++) {
        const p = Math.exp(s.logProbs[r * n + a] as number);
        s.dInputs[r * n + a] = ((s.dInputs[r * n + a] as number) - p * gradSum) / temperature;
      }
    }
    nets.actorBackward(rows, s.dInputs);
    const actorGnorm = nets.actorOptimizer.step();
    entropyGap /= rows;
    nets.setLogAlphaGradient(-entropyGap);
    nets.alphaOptimizer.step();
    const critic = this.criticStep(c, rows, (r) => c.actions[r] as number);
    return {
      stats: this.stats(actorLoss / rows, -logAlpha * entropyGap, critic.loss, critic.q, alpha, actorGnorm),
      tdErrors: critic.tdErrors,
    };
  }

  /**
   * The critics' step towards `y` on the current Q input: Σ_i mean(w · huber(Q_i − y)), with Q_i
   * read at output `column(r)` of row r. Returns the loss, Q₁'s values and |TD| averaged over the
   * critics per row (RLlib's `td_error`).
   */
  private criticStep(c: DQNTrainColumns, rows: number, column: (r: number) => number) {
    const nets = this.kernelNets;
    const s = this.scratch;
    const outputs = nets.spec.critic.outputs;
    const count = nets.criticCount;
    const q = new Float32Array(rows);
    let loss = 0;
    s.absTd.fill(0);
    for (let i = 0; i < count; i++) {
      const values = nets.qForward('online', i, rows, s.q[i] as Float32Array);
      s.dQ.fill(0, 0, rows * outputs);
      for (let r = 0; r < rows; r++) {
        const at = r * outputs + column(r);
        const taken = values[at] as number;
        if (i === 0) q[r] = taken;
        const td = f32(taken - (s.y[r] as number));
        const abs = Math.abs(td);
        const quadratic = Math.min(abs, 1);
        const weight = c.weights[r] as number;
        loss += (weight * (0.5 * quadratic * quadratic + (abs - quadratic))) / rows;
        s.dQ[at] = (weight * Math.max(-1, Math.min(1, td))) / rows;
        s.absTd[r] = (s.absTd[r] as number) + abs;
      }
      nets.qBackward(i, rows, s.dQ, false);
    }
    nets.criticOptimizer.step();
    const tdErrors = Float32Array.from(s.absTd.subarray(0, rows), (sum) => sum / count);
    return { loss, q, tdErrors };
  }

  /** min_i values[i][at] (one critic: its value). */
  private minOver(values: readonly Float32Array[], at: number): number {
    const first = values[0]?.[at] as number;
    return values.length === 1 ? first : Math.min(first, values[1]?.[at] as number);
  }

  /** The critic whose value is the minimum at `at` (the first on ties). */
  private argMinOver(values: readonly Float32Array[], at: number): number {
    return values.length === 1 || (values[0]?.[at] as number) <= (values[1]?.[at] as number) ? 0 : 1;
  }

  private stats(
    actorLoss: number,
    alphaLoss: number,
    criticLoss: number,
    q: Float32Array,
    alpha: number,
    actorGnorm: number,
  ): LearnerStats {
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const value of q) {
      sum += value;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    return {
      actorLoss,
      criticLoss,
      alphaLoss,
      alphaValue: alpha,
      logAlphaValue: Math.log(alpha),
      targetEntropy: this.targetEntropy,
      meanQ: sum / q.length,
      maxQ: max,
      minQ: min,
      actorGradGnorm: actorGnorm,
    };
  }

  async getOptimizerStates(): Promise<Record<string, OptimizerState>> {
    return this.kernelNets.getOptimizerStates();
  }

  async setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    this.kernelNets.setOptimizerStates(states);
  }

  /** Nothing to free: the kernel memory goes with the networks. */
  dispose(): void {}
}
