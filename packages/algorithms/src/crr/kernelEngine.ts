import type { LearnerStats, Rng, SampleBatch, TransitionColumns } from '@loomrl/core';
import type { OptimizerState } from '@loomrl/core/internal';
import { normalNoise } from '../sac/networkSpec.js';
import { KernelCrrNetworks } from './kernelNetworks.js';
import { type CRREngine, type CRREngineInit, type CRRLearnerSettings, type CRRWeights, checkCrrEngineInit } from './learner.js';

const f32 = Math.fround;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** log-softmax of `n` numbers `x[at…] / temperature` into `out[0…n)`. */
function logSoftmax(x: Float32Array, at: number, n: number, temperature: number, out: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) max = Math.max(max, (x[at + k] as number) / temperature);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp((x[at + k] as number) / temperature - max);
  const lse = max + Math.log(sum);
  for (let k = 0; k < n; k++) out[k] = (x[at + k] as number) / temperature - lse;
}

/**
 * CRR's update (see `CRRLearner`) on LoomRL's WebAssembly dense-net kernels: the same passes,
 * noise draws (in the same order) and Adam steps as `TfCRREngine`, with the loss heads in plain JS:
 * the advantage weights from the online actor's samples and the min of the critics, the targets
 * from the target actor's a′ and the target critics, the actor's weighted log-likelihood gradient
 * (categorical logits / temperature, or a diagonal Gaussian), the critics' mse or huber gradient.
 */
export class KernelCRREngine implements CRREngine {
  private readonly nets: KernelCrrNetworks;
  private readonly settings: CRRLearnerSettings;
  private readonly rng: Rng;
  private readonly discrete: boolean;
  private readonly actionSize: number;
  private readonly outputs: number;
  private readonly temperature: number;
  private readonly logProbs: Float64Array;

  /** Networks and optimizers from `init`, the targets copies of the online networks. */
  constructor(init: CRREngineInit) {
    checkCrrEngineInit(init);
    this.discrete = init.spec.distribution === 'categorical';
    this.nets = new KernelCrrNetworks(init);
    this.settings = init.settings;
    this.rng = init.rng;
    this.actionSize = init.spec.actionSize;
    this.outputs = this.discrete ? this.actionSize : 2 * this.actionSize;
    this.temperature = init.spec.temperature;
    this.logProbs = new Float64Array(this.actionSize);
  }

  get criticCount(): number {
    return this.nets.criticCount;
  }

  /** Actions drawn from distribution inputs `inputs` (seeded; the same draws as tfjs): categorical indices, or Gaussian samples clamped to [-1, 1]. */
  private sampleActions(inputs: Float32Array, rows: number): Float32Array {
    const n = this.actionSize;
    if (!this.discrete) {
      const eps = normalNoise(this.rng, rows, n);
      const out = new Float32Array(rows * n);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < n; j++) {
          const mean = inputs[r * 2 * n + j] as number;
          const std = f32(Math.exp(inputs[r * 2 * n + n + j] as number));
          out[r * n + j] = Math.min(1, Math.max(-1, f32(mean + f32(std * (eps[r * n + j] as number)))));
        }
      }
      return out;
    }
    const picks = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      logSoftmax(inputs, r * n, n, this.temperature, this.logProbs);
      let u = this.rng.random();
      let a = 0;
      for (; a < n - 1; a++) {
        u -= f32(Math.exp(this.logProbs[a] as number));
        if (u < 0) break;
      }
      picks[r] = a;
    }
    return picks;
  }

  /** min over the critics' outputs, element-wise. */
  private static minOf(values: readonly Float32Array[]): Float32Array {
    const first = values[0] as Float32Array;
    if (values.length === 1) return first;
    const second = values[1] as Float32Array;
    return Float32Array.from(first, (v, i) => Math.min(v, second[i] as number));
  }

  /** Q̃ of `which` on its current input (`rows × outputs` per critic, and their minimum). */
  private criticValues(which: 'online' | 'target', rows: number): { each: Float32Array[]; min: Float32Array } {
    const width = this.discrete ? this.actionSize : 1;
    const each = Array.from({ length: this.nets.criticCount }, (_, i) =>
      this.nets.qForward(which, i, rows, new Float32Array(rows * width)),
    );
    return { each, min: KernelCRREngine.minOf(each) };
  }

  /** Discrete Q at action indices `actions` (`rows`); continuous values as they are. */
  private taken(q: Float32Array, actions: Float32Array, rows: number): Float32Array {
    if (!this.discrete) return q;
    const n = this.actionSize;
    return Float32Array.from({ length: rows }, (_, r) => q[r * n + (actions[r] as number)] as number);
  }

  update(batch: SampleBatch<TransitionColumns>): LearnerStats {
    const s = this.settings;
    const nets = this.nets;
    const c = batch.columns;
    const rows = batch.count;
    const inputs = nets.actorForward('online', c.obs, rows, new Float32Array(rows * this.outputs));
    // V(s) from the online actor's samples (drawn first, as tfjs does), then Q̃(s, a) on the data's actions.
    let v: Float32Array;
    let data: { each: Float32Array[]; min: Float32Array };
    if (this.discrete) {
      nets.setQInput('online', c.obs, null, rows);
      data = this.criticValues('online', rows);
      v = this.discreteValue(inputs, data.min, rows);
    } else {
      const samples = Array.from({ length: s.nActionSample }, () => {
        nets.setQInput('online', c.obs, this.sampleActions(inputs, rows), rows);
        return this.criticValues('online', rows).min;
      });
      v = this.reduceSamples(samples, rows);
      nets.setQInput('online', c.obs, c.actions, rows);
      data = this.criticValues('online', rows);
    }
    const q = this.taken(data.min, c.actions, rows);
    const advantage = Float32Array.from(q, (x, r) => x - (v[r] as number));
    const w = Float32Array.from(advantage, (a) =>
      s.weightType === 'bin' ? (a > 0 ? 1 : 0) : Math.min(f32(Math.exp(a / s.temperature)), s.maxWeight),
    );
    const y = this.targets(c, rows);
    const actorLoss = this.actorStep(inputs, c.actions, w, rows);
    const critic = this.criticStep(data.each, c.actions, y, rows);
    const mean = (x: Float32Array) => x.reduce((a, b) => a + b, 0) / rows;
    const extreme = (x: Float32Array, pick: (a: number, b: number) => number) => x.reduce((a, b) => pick(a, b));
    return {
      lossActor: actorLoss,
      lossCritic: critic.loss,
      qBatchAvg: mean(q),
      vBatchAvg: mean(v),
      advBatchAvg: mean(advantage),
      advBatchMax: extreme(advantage, Math.max),
      advBatchMin: extreme(advantage, Math.min),
      weightsAvg: mean(w),
      weightsMax: extreme(w, Math.max),
      weightsMin: extreme(w, Math.min),
      rewardBatchAvg: c.rewards.reduce((a, b) => a + b, 0) / rows,
      tdErrorQ1: critic.tdErrors[0] ?? Number.NaN,
      ...(critic.tdErrors.length > 1 ? { tdErrorQ2: critic.tdErrors[1] as number } : {}),
      tdError: critic.loss,
      targetsAvg: y.reduce((a, b) => a + b, 0) / rows,
    };
  }

  /** Discrete V(s): Σₐ π(a|s) Q̃(s, a) ('expectation'), or the mean / max of Q̃ at sampled actions. */
  private discreteValue(inputs: Float32Array, qAll: Float32Array, rows: number): Float32Array {
    const n = this.actionSize;
    if (this.settings.advantageType === 'expectation') {
      const v = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        logSoftmax(inputs, r * n, n, this.temperature, this.logProbs);
        let sum = 0;
        for (let k = 0; k < n; k++) sum += Math.exp(this.logProbs[k] as number) * (qAll[r * n + k] as number);
        v[r] = sum;
      }
      return v;
    }
    const samples = Array.from({ length: this.settings.nActionSample }, () => this.taken(qAll, this.sampleActions(inputs, rows), rows));
    return this.reduceSamples(samples, rows);
  }

  /** The mean or max over the sampled Q̃ values per row. */
  private reduceSamples(samples: readonly Float32Array[], rows: number): Float32Array {
    const max = this.settings.advantageType === 'max';
    return Float32Array.from({ length: rows }, (_, r) => {
      let out = max ? Number.NEGATIVE_INFINITY : 0;
      for (const sample of samples) out = max ? Math.max(out, sample[r] as number) : out + (sample[r] as number);
      return max ? out : out / samples.length;
    });
  }

  /** y = r + γ (1 − terminated) Q̃_target(s′, a′), a′ ~ π_target(·|s′). */
  private targets(c: TransitionColumns, rows: number): Float32Array {
    const nets = this.nets;
    const nextInputs = nets.actorForward('target', c.nextObs, rows, new Float32Array(rows * this.outputs));
    const next = this.sampleActions(nextInputs, rows);
    nets.setQInput('target', c.nextObs, this.discrete ? null : next, rows);
    const qNext = this.taken(this.criticValues('target', rows).min, next, rows);
    const gamma = this.settings.gamma;
    return Float32Array.from(qNext, (qn, r) => (c.rewards[r] as number) + gamma * (1 - (c.terminateds[r] as number)) * qn);
  }

  /** One actor step on −mean(w · log π(a|s)); returns the loss. */
  private actorStep(inputs: Float32Array, actions: Float32Array, w: Float32Array, rows: number): number {
    const n = this.actionSize;
    const width = this.outputs;
    const dInputs = new Float32Array(rows * width);
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const g = -(w[r] as number) / rows;
      const at = r * width;
      let logp = 0;
      if (this.discrete) {
        logSoftmax(inputs, at, n, this.temperature, this.logProbs);
        const a = actions[r] as number;
        logp = this.logProbs[a] as number;
        for (let k = 0; k < n; k++) dInputs[at + k] = (g * ((k === a ? 1 : 0) - Math.exp(this.logProbs[k] as number))) / this.temperature;
      } else {
        for (let j = 0; j < n; j++) {
          const mean = inputs[at + j] as number;
          const logStd = inputs[at + n + j] as number;
          const z = ((actions[r * n + j] as number) - mean) / Math.exp(logStd);
          logp += -0.5 * z * z - logStd - HALF_LOG_TWO_PI;
          dInputs[at + j] = (g * z) / Math.exp(logStd);
          dInputs[at + n + j] = g * (z * z - 1);
        }
      }
      sum += (w[r] as number) * logp;
    }
    this.nets.actorBackward(rows, dInputs);
    this.nets.actorOptimizer.step();
    return -sum / rows;
  }

  /** One step of both critics (their last online passes were on (s, a)) towards `y`; returns the loss and mean δ² per critic. */
  private criticStep(values: readonly Float32Array[], actions: Float32Array, y: Float32Array, rows: number) {
    const count = values.length;
    const width = this.discrete ? this.actionSize : 1;
    const huber = this.settings.tdErrorLossFn === 'huber';
    const tdErrors: number[] = [];
    let loss = 0;
    values.forEach((q, i) => {
      const dQ = new Float32Array(rows * width);
      let squares = 0;
      for (let r = 0; r < rows; r++) {
        const at = r * width + (this.discrete ? (actions[r] as number) : 0);
        const delta = f32((q[at] as number) - (y[r] as number));
        squares += delta * delta;
        if (huber) {
          const abs = Math.abs(delta);
          const quadratic = Math.min(abs, 1);
          loss += (0.5 * quadratic * quadratic + (abs - quadratic)) / (rows * count);
          dQ[at] = Math.max(-1, Math.min(1, delta)) / (rows * count);
        } else {
          loss += 0.5 * delta * delta;
          dQ[at] = delta;
        }
      }
      tdErrors.push(squares / rows);
      this.nets.qBackward(i, rows, dQ);
    });
    this.nets.criticOptimizer.step();
    return { loss, tdErrors };
  }

  updateTargets(tau: number): void {
    this.nets.updateTargets(tau);
  }

  getActorWeights(): Float32Array {
    return this.nets.getActorWeights();
  }

  setActorWeights(weights: Float32Array): void {
    this.nets.setActorWeights(weights);
  }

  getWeights(): CRRWeights {
    return this.nets.getWeights();
  }

  setWeights(weights: CRRWeights): void {
    this.nets.setWeights(weights);
  }

  async getOptimizerStates(): Promise<Record<string, OptimizerState>> {
    return this.nets.getOptimizerStates();
  }

  async setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    this.nets.setOptimizerStates(states);
  }

  dispose(): void {}
}
