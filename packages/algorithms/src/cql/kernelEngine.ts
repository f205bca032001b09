import type { LearnerStats, Rng, SampleBatch, TransitionColumns } from '@loomrl/core';
import { actorOutputs, DenseKernel, KernelAdam, type OptimizerState, type Region } from '@loomrl/core/internal';
import { KernelSacNetworks } from '../sac/kernelNetworks.js';
import { normalNoise, type SacNetworkSpec } from '../sac/networkSpec.js';
import type { SacWeights } from '../sac/networks.js';
import { SquashedGaussianSamples, squashedLogLikelihood } from '../sac/squashedGaussian.js';
import type { CQLEngine } from './engine.js';
import type { CQLLearnerSettings } from './learner.js';

const f32 = Math.fround;

/** One update's arrays for `rows` rows and `numActions` sampled actions per state and source. */
class Scratch {
  /** Actor rows after its step: s′ (B), then s tiled (N·B), then s′ tiled (N·B). */
  readonly actorObs: Float32Array;
  readonly actorInputs: Float32Array;
  readonly actorEps: Float32Array;
  readonly sampled: SquashedGaussianSamples;
  /** Q rows: data (B), random (N·B), π(·|s′) (N·B), π(·|s) (N·B); all at s. */
  readonly qObs: Float32Array;
  readonly qActions: Float32Array;
  readonly q: Float32Array[];
  readonly dQ: Float32Array;
  readonly inputs: Float32Array;
  readonly dInputs: Float32Array;
  readonly now: SquashedGaussianSamples;
  readonly dataLogp: Float32Array;
  readonly dActions: Float32Array;
  readonly dLogp: Float32Array;
  readonly qNext: Float32Array[];
  readonly y: Float32Array;
  readonly lse: Float64Array;

  constructor(
    readonly rows: number,
    readonly numActions: number,
    spec: SacNetworkSpec,
  ) {
    const B = rows;
    const N = numActions;
    const { obsDim, actionSize: d } = spec.actor;
    const count = spec.twinQ ? 2 : 1;
    const actorRows = B + 2 * N * B;
    const qRows = B + 3 * N * B;
    this.actorObs = new Float32Array(actorRows * obsDim);
    this.actorInputs = new Float32Array(actorRows * actorOutputs(spec.actor));
    this.actorEps = new Float32Array(actorRows * d);
    this.sampled = new SquashedGaussianSamples(actorRows, d);
    this.qObs = new Float32Array(qRows * obsDim);
    this.qActions = new Float32Array(qRows * d);
    this.q = Array.from({ length: count }, () => new Float32Array(qRows));
    this.dQ = new Float32Array(qRows);
    this.inputs = new Float32Array(B * 2 * d);
    this.dInputs = new Float32Array(B * 2 * d);
    this.now = new SquashedGaussianSamples(B, d);
    this.dataLogp = new Float32Array(B);
    this.dActions = new Float32Array(B * d);
    this.dLogp = new Float32Array(B);
    this.qNext = Array.from({ length: count }, () => new Float32Array(B));
    this.y = new Float32Array(B);
    this.lse = new Float64Array(B);
  }
}

/** `data` (`rows × width`) repeated `times` times into `out` from row `at` on (tfjs's `tile(x, [times, 1])`). */
function tileRows(data: Float32Array, rows: number, width: number, times: number, out: Float32Array, at: number): void {
  const block = data.subarray(0, rows * width);
  for (let n = 0; n < times; n++) out.set(block, (at + n * rows) * width);
}

/** log α′ and its Adam, in a kernel memory of their own. */
interface AlphaPrime {
  readonly kernel: DenseKernel;
  readonly weight: Region;
  readonly grad: Region;
  readonly optimizer: KernelAdam;
}

/**
 * CQL's sequential update (see `CQLLearner`, whose order of steps and noise draws this follows) on
 * LoomRL's WebAssembly dense-net kernels: the actor's samples after its step for s′ and the
 * penalty run as one actor pass, and the critics' data and penalty rows as one Q pass per critic,
 * whose backward takes the gradients of the squared TD error and of the logsumexp penalty at once.
 */
export class KernelCQLEngine implements CQLEngine {
  curIter = 0;
  private kernelNets: KernelSacNetworks;
  private scratch: Scratch | null = null;
  private readonly alphaPrime: AlphaPrime | null;

  /** A learner for `spec` from `weights` (targets copy the Q networks); H̄ = `targetEntropy`; noise and random actions from `rng`. */
  constructor(
    spec: SacNetworkSpec,
    weights: Omit<SacWeights, 'qTarget'>,
    private readonly settings: CQLLearnerSettings,
    readonly targetEntropy: number,
    private readonly rng: Rng,
  ) {
    this.kernelNets = new KernelSacNetworks(spec, weights, settings, 1);
    if (settings.lagrangian) {
      const kernel = new DenseKernel();
      const weight = kernel.alloc(1);
      const grad = kernel.alloc(1);
      const entry = { name: 'logAlphaPrime', shape: [], offset: 0, size: 1, initScale: 0 };
      const optimizer = new KernelAdam(kernel, weight, grad, [entry], settings.optimization.criticLearningRate, settings.gradClip, 1e-7);
      this.alphaPrime = { kernel, weight, grad, optimizer };
    } else {
      this.alphaPrime = null;
    }
  }

  get nets(): KernelSacNetworks {
    return this.kernelNets;
  }

  private prepare(rows: number): Scratch {
    const N = this.settings.numActions;
    const needed = rows + 3 * N * rows;
    if (needed > this.kernelNets.maxRows) this.kernelNets = this.kernelNets.resized(needed, this.settings);
    if (this.scratch?.rows !== rows) this.scratch = new Scratch(rows, N, this.kernelNets.spec);
    return this.scratch;
  }

  update(batch: SampleBatch<TransitionColumns>): LearnerStats {
    const s = this.settings;
    const B = batch.count;
    const sc = this.prepare(B);
    const nets = this.kernelNets;
    const c = batch.columns;
    const d = nets.spec.actor.actionSize;
    const obsDim = nets.spec.actor.obsDim;
    const N = s.numActions;
    const count = nets.criticCount;
    const stats: Record<string, number> = {};
    // (1) α, from a reparameterised sample at s (this actor pass is the one its backward differentiates).
    const eps = normalNoise(this.rng, B, d);
    nets.actorForward(c.obs, B, sc.inputs);
    sc.now.draw(sc.inputs, eps, B);
    let entropyGap = 0;
    for (let r = 0; r < B; r++) entropyGap += (sc.now.logp[r] as number) + this.targetEntropy;
    entropyGap /= B;
    stats.alphaLoss = -nets.logAlpha * entropyGap;
    nets.setLogAlphaGradient(-entropyGap);
    nets.alphaOptimizer.step();
    // (2) the actor, with α after its step: against log π(a_data|s) while cloning, else min_i Q_i(s, ã).
    const alpha = f32(Math.exp(nets.logAlpha));
    const cloning = this.curIter < s.bcIters;
    let actorLoss = 0;
    for (let r = 0; r < B; r++) actorLoss += alpha * (sc.now.logp[r] as number);
    sc.dLogp.fill(alpha / B);
    if (cloning) {
      squashedLogLikelihood(sc.inputs, c.actions, B, d, sc.dataLogp, 0, null);
      for (let r = 0; r < B; r++) actorLoss -= sc.dataLogp[r] as number;
      sc.now.backward(null, sc.dLogp, B, sc.dInputs);
      squashedLogLikelihood(sc.inputs, c.actions, B, d, sc.dataLogp, -1 / B, sc.dInputs);
    } else {
      nets.setQInput(c.obs, sc.now.actions, B);
      for (let i = 0; i < count; i++) nets.qForward('online', i, B, sc.qNext[i] as Float32Array);
      for (let r = 0; r < B; r++) actorLoss -= this.minOver(sc.qNext, r);
      for (let i = 0; i < count; i++) {
        for (let r = 0; r < B; r++) sc.dQ[r] = this.argMinOver(sc.qNext, r) === i ? -1 / B : 0;
        nets.qBackward(i, B, sc.dQ, true);
      }
      const dInput = nets.qInputGradient(B);
      for (let r = 0; r < B; r++) {
        for (let j = 0; j < d; j++) sc.dActions[r * d + j] = dInput[r * (obsDim + d) + obsDim + j] as number;
      }
      sc.now.backward(sc.dActions, sc.dLogp, B, sc.dInputs);
    }
    stats.actorLoss = actorLoss / B;
    nets.actorBackward(B, sc.dInputs);
    nets.actorOptimizer.step();
    // (3)–(4) the updated actor's samples at s′ (targets) and for the penalty, in the learner's draw order.
    const epsNext = normalNoise(this.rng, B, d);
    const random = Float32Array.from({ length: B * N * d }, () => this.rng.uniform(-1, 1));
    sc.actorEps.set(epsNext, 0);
    sc.actorEps.set(normalNoise(this.rng, B * N, d), B * d);
    sc.actorEps.set(normalNoise(this.rng, B * N, d), (B + N * B) * d);
    sc.actorObs.set(c.nextObs.subarray(0, B * obsDim), 0);
    tileRows(c.obs, B, obsDim, N, sc.actorObs, B);
    tileRows(c.nextObs, B, obsDim, N, sc.actorObs, B + N * B);
    const actorRows = B + 2 * N * B;
    nets.actorForward(sc.actorObs, actorRows, sc.actorInputs);
    sc.sampled.draw(sc.actorInputs, sc.actorEps, actorRows);
    const current = B;
    const nextRows = B + N * B;
    // y = r + γ (1 − terminated) min_i Q_i,target(s′, ã′).
    nets.setQInput(c.nextObs, sc.sampled.actions, B);
    for (let i = 0; i < count; i++) nets.qForward('target', i, B, sc.qNext[i] as Float32Array);
    for (let r = 0; r < B; r++) {
      sc.y[r] = f32((c.rewards[r] as number) + f32(s.gamma * f32((1 - (c.terminateds[r] as number)) * this.minOver(sc.qNext, r))));
    }
    // (4)–(6) the critics: one pass over the data rows and the penalty's random, π(·|s′) and π(·|s) rows.
    const qRows = B + 3 * N * B;
    sc.qObs.set(c.obs.subarray(0, B * obsDim), 0);
    tileRows(c.obs, B, obsDim, 3 * N, sc.qObs, B);
    sc.qActions.set(c.actions.subarray(0, B * d), 0);
    sc.qActions.set(random, B * d);
    sc.qActions.set(sc.sampled.actions.subarray(nextRows * d, actorRows * d), (B + N * B) * d);
    sc.qActions.set(sc.sampled.actions.subarray(current * d, nextRows * d), (B + 2 * N * B) * d);
    nets.setQInput(sc.qObs, sc.qActions, qRows);
    const logUniform = d * Math.log(0.5);
    const T = s.temperature;
    const logAlphaPrime = this.getLogAlphaPrime();
    const weight = logAlphaPrime === null ? 1 : Math.min(1e6, Math.max(0, f32(Math.exp(logAlphaPrime))));
    /** Row j (0 … 3N−1) of state b's importance-corrected terms X. */
    const term = (q: Float32Array, b: number, j: number): number => {
      const source = Math.floor(j / N);
      const n = j % N;
      const value = q[B + source * N * B + n * B + b] as number;
      if (source === 0) return value - logUniform;
      const logp = sc.sampled.logp[(source === 1 ? nextRows : current) + n * B + b] as number;
      return value - logp;
    };
    let criticLoss = 0;
    let cqlLoss = 0;
    const rawPenalties: number[] = [];
    let dataQStats: Record<string, number> = {};
    for (let i = 0; i < count; i++) {
      const q = nets.qForward('online', i, qRows, sc.q[i] as Float32Array);
      let sacLoss = 0;
      let lseSum = 0;
      let dataSum = 0;
      for (let b = 0; b < B; b++) {
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < 3 * N; j++) max = Math.max(max, term(q, b, j) / T);
        let sum = 0;
        for (let j = 0; j < 3 * N; j++) sum += Math.exp(term(q, b, j) / T - max);
        const lse = max + Math.log(sum);
        sc.lse[b] = lse;
        lseSum += T * lse;
        dataSum += q[b] as number;
        const td = f32((q[b] as number) - (sc.y[b] as number));
        sacLoss += td * td;
        sc.dQ[b] = (2 * td) / B - (weight * s.minQWeight) / B;
      }
      const raw = s.minQWeight * (lseSum / B - dataSum / B);
      rawPenalties.push(raw);
      criticLoss += sacLoss / B;
      cqlLoss += logAlphaPrime === null ? raw : weight * (raw - s.lagrangianThresh);
      // ∂P/∂X_bj = minQWeight / B · softmax_j(X_b / T), by the Lagrangian weight.
      const scale = (weight * s.minQWeight) / B;
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < 3 * N; j++) {
          const row = B + Math.floor(j / N) * N * B + (j % N) * B + b;
          sc.dQ[row] = scale * Math.exp(term(q, b, j) / T - (sc.lse[b] as number));
        }
      }
      if (i === 0) dataQStats = this.qStats(q, B);
      nets.qBackward(i, qRows, sc.dQ, false);
    }
    nets.criticOptimizer.step();
    Object.assign(stats, { criticLoss, cqlLoss, ...dataQStats });
    if (this.alphaPrime !== null && logAlphaPrime !== null) {
      const meanGap = rawPenalties.reduce((a, p) => a + p - s.lagrangianThresh, 0) / rawPenalties.length;
      const value = f32(Math.exp(logAlphaPrime));
      stats.alphaPrimeLoss = -Math.min(1e6, Math.max(0, value)) * meanGap;
      this.alphaPrime.kernel.f32[this.alphaPrime.grad.address / 4] = value <= 1e6 ? -meanGap * value : 0;
      this.alphaPrime.optimizer.step();
      stats.alphaPrimeValue = Math.exp(this.getLogAlphaPrime() as number);
    }
    stats.alphaValue = alpha;
    stats.logAlphaValue = Math.log(alpha);
    stats.targetEntropy = this.targetEntropy;
    stats.bcPhase = cloning ? 1 : 0;
    this.curIter += 1;
    return stats;
  }

  private qStats(q: Float32Array, rows: number): Record<string, number> {
    let sum = 0;
    let max = Number.NEGATIVE_INFINITY;
    let min = Number.POSITIVE_INFINITY;
    for (let r = 0; r < rows; r++) {
      const value = q[r] as number;
      sum += value;
      max = Math.max(max, value);
      min = Math.min(min, value);
    }
    return { meanQ: sum / rows, maxQ: max, minQ: min };
  }

  /** min_i values[i][at] (one critic: its value). */
  private minOver(values: readonly Float32Array[], at: number): number {
    const first = values[0]?.[at] as number;
    return values.length === 1 ? first : Math.min(first, values[1]?.[at] as number);
  }

  /** The critic whose value is the minimum at `at` (the first on ties, as tfjs's `minimum`). */
  private argMinOver(values: readonly Float32Array[], at: number): number {
    return values.length === 1 || (values[0]?.[at] as number) <= (values[1]?.[at] as number) ? 0 : 1;
  }

  getLogAlphaPrime(): number | null {
    const p = this.alphaPrime;
    return p === null ? null : (p.kernel.f32[p.weight.address / 4] as number);
  }

  setLogAlphaPrime(value: number): void {
    const p = this.alphaPrime;
    if (p !== null) p.kernel.f32[p.weight.address / 4] = value;
  }

  async getOptimizerStates(): Promise<Record<string, OptimizerState>> {
    const states = this.kernelNets.getOptimizerStates();
    if (this.alphaPrime !== null) states.alphaPrime = this.alphaPrime.optimizer.getState();
    return states;
  }

  async setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    this.kernelNets.setOptimizerStates(states);
    if (states.alphaPrime !== undefined) this.alphaPrime?.optimizer.setState(states.alphaPrime);
  }

  /** Nothing to free: the kernel memory goes with the object. */
  dispose(): void {}
}
