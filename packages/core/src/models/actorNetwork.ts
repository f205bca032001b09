import type { Activation } from '../config/settings.js';
import type { Rng } from '../rng.js';
import { type DenseLayer, LayoutBuilder, type WeightEntry } from './layout.js';
import { denseForward, type PreparedDense, prepareDense } from './mlpForward.js';

/** The action distributions an actor network parameterises. */
export type ActorDistribution = 'categorical' | 'diagGaussian' | 'squashedGaussian';

/** Plain-data description of an actor network (SAC's and CRR's policy): an MLP to distribution inputs. */
export interface ActorSpec {
  readonly obsDim: number;
  readonly distribution: ActorDistribution;
  /** Discrete: the number of actions; Box: the action dimension. */
  readonly actionSize: number;
  readonly hiddens: readonly number[];
  readonly activation: Activation;
  /** Categorical logits are divided by this (RLlib's `categorical_distribution_temperature`). */
  readonly temperature: number;
}

/** Numbers per row of the distribution inputs: logits, or (mean, log-std) pairs. */
export function actorOutputs(spec: ActorSpec): number {
  return spec.distribution === 'categorical' ? spec.actionSize : 2 * spec.actionSize;
}

/** Where an actor's weights live: hidden layers `fc_i`, then `out`. */
export interface ActorLayout {
  readonly size: number;
  readonly entries: readonly WeightEntry[];
  readonly layers: readonly DenseLayer[];
}

/** The layout of `spec`'s weights. */
export function actorLayout(spec: ActorSpec): ActorLayout {
  const b = new LayoutBuilder();
  const hidden = b.stack('fc', spec.obsDim, spec.hiddens);
  const out = b.dense('out', spec.hiddens.at(-1) ?? spec.obsDim, actorOutputs(spec), 0.01);
  return { size: b.size, entries: b.entries, layers: [...hidden, out] };
}

/** RLlib's log-std clamp of the squashed Gaussian (`SquashedGaussian`: [−5, 2]). */
export const SQUASHED_LOG_STD_MIN = -5;
export const SQUASHED_LOG_STD_MAX = 2;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** log N(x; mean, exp(logStd)). */
function normalLogDensity(x: number, mean: number, logStd: number): number {
  const z = (x - mean) / Math.exp(logStd);
  return -0.5 * z * z - logStd - HALF_LOG_TWO_PI;
}

/**
 * An actor's forward pass and distributions in plain typed-array loops (samplers act with it; the
 * tfjs twin `TfActor` gives the same numbers to ~1e-5):
 * - `categorical`: logits / temperature;
 * - `diagGaussian`: (mean, log-std), actions unbounded (CRR);
 * - `squashedGaussian`: u ~ N(mean, σ), log σ clamped to [−5, 2], a = tanh(u) in [−1, 1]
 *   (SAC; RLlib's `SquashedGaussian` with low/high ±1), log π(a) = Σ log N(u) − log(1 − a² + 1e-6).
 */
export class ActorInference {
  readonly spec: ActorSpec;
  readonly layout: ActorLayout;
  readonly outputs: number;
  private prepared: PreparedDense[];
  private scratch: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  private inputs = new Float32Array(0);

  /** An actor for `spec` with zero weights until `setWeights`. */
  constructor(spec: ActorSpec) {
    this.spec = spec;
    this.layout = actorLayout(spec);
    this.outputs = actorOutputs(spec);
    this.prepared = this.layout.layers.map((layer) => prepareDense(layer, new Float32Array(this.layout.size)));
  }

  /** Replaces the weights (the flat layout of `actorLayout`). */
  setWeights(weights: Float32Array): void {
    if (weights.length !== this.layout.size)
      throw new RangeError(`setWeights: expected ${this.layout.size} numbers for this actor, got ${weights.length}`);
    this.prepared = this.layout.layers.map((layer) => prepareDense(layer, weights));
  }

  /** Distribution inputs of `rows` observations, `rows × outputs` (a view, valid until the next call); Gaussian log-stds as the net gives them. */
  forward(obs: Float32Array, rows: number): Float32Array {
    const widest = Math.max(this.spec.obsDim, this.outputs, ...this.spec.hiddens, 1);
    if (this.scratch[0].length < rows * widest) this.scratch = [new Float32Array(rows * widest), new Float32Array(rows * widest)];
    if (this.inputs.length < rows * this.outputs) this.inputs = new Float32Array(rows * this.outputs);
    const out = this.inputs.subarray(0, rows * this.outputs);
    let x = obs;
    this.prepared.forEach((layer, i) => {
      const last = i === this.prepared.length - 1;
      const target = last ? out : (this.scratch[i % 2] as Float32Array);
      denseForward(layer, x, rows, target, last ? 'linear' : this.spec.activation);
      x = target;
    });
    return out;
  }

  /** The log-std the distribution uses: clamped for the squashed Gaussian. */
  private logStd(inputs: Float32Array, offset: number): number {
    const raw = inputs[offset] as number;
    return this.spec.distribution === 'squashedGaussian' ? Math.min(SQUASHED_LOG_STD_MAX, Math.max(SQUASHED_LOG_STD_MIN, raw)) : raw;
  }

  /** Draws (or, without `rng`, takes the mode of) row `r`'s action into `out`; returns its log-probability (a density for Box). */
  act(inputs: Float32Array, r: number, rng: Rng | null, out: Float32Array): number {
    const { actionSize: k, distribution, temperature } = this.spec;
    const base = r * this.outputs;
    if (distribution === 'categorical') {
      let max = Number.NEGATIVE_INFINITY;
      for (let a = 0; a < k; a++) max = Math.max(max, (inputs[base + a] as number) / temperature);
      let sum = 0;
      for (let a = 0; a < k; a++) sum += Math.exp((inputs[base + a] as number) / temperature - max);
      const lse = max + Math.log(sum);
      let choice = 0;
      if (rng === null) {
        for (let a = 1; a < k; a++) if ((inputs[base + a] as number) > (inputs[base + choice] as number)) choice = a;
      } else {
        let u = rng.random();
        for (choice = 0; choice < k - 1; choice++) {
          u -= Math.exp((inputs[base + choice] as number) / temperature - lse);
          if (u < 0) break;
        }
      }
      out[r] = choice;
      return (inputs[base + choice] as number) / temperature - lse;
    }
    let logp = 0;
    for (let j = 0; j < k; j++) {
      const mean = inputs[base + j] as number;
      const logStd = this.logStd(inputs, base + k + j);
      const u = rng === null ? mean : mean + Math.exp(logStd) * rng.normal();
      logp += normalLogDensity(u, mean, logStd);
      if (distribution === 'squashedGaussian') {
        const a = Math.tanh(u);
        logp -= Math.log(1 - a * a + 1e-6);
        out[r * k + j] = a;
      } else {
        out[r * k + j] = u;
      }
    }
    return logp;
  }

  /**
   * log π(a|s) of row `r`'s given action (RLlib's `logp`): categorical log-softmax; Gaussian
   * density summed over dimensions; squashed: u = atanh(clip(a, ±(1 − 1e-6))), log N clipped to ±100 per dimension.
   */
  logLikelihood(inputs: Float32Array, r: number, actions: Float32Array): number {
    const { actionSize: k, distribution, temperature } = this.spec;
    const base = r * this.outputs;
    if (distribution === 'categorical') {
      let max = Number.NEGATIVE_INFINITY;
      for (let a = 0; a < k; a++) max = Math.max(max, (inputs[base + a] as number) / temperature);
      let sum = 0;
      for (let a = 0; a < k; a++) sum += Math.exp((inputs[base + a] as number) / temperature - max);
      return (inputs[base + (actions[r] as number)] as number) / temperature - max - Math.log(sum);
    }
    let logp = 0;
    for (let j = 0; j < k; j++) {
      const mean = inputs[base + j] as number;
      const logStd = this.logStd(inputs, base + k + j);
      const a = actions[r * k + j] as number;
      if (distribution === 'diagGaussian') {
        logp += normalLogDensity(a, mean, logStd);
        continue;
      }
      const clipped = Math.min(1 - 1e-6, Math.max(-1 + 1e-6, a));
      const u = Math.atanh(clipped);
      const t = Math.tanh(u);
      logp += Math.min(100, Math.max(-100, normalLogDensity(u, mean, logStd))) - Math.log(1 - t * t + 1e-6);
    }
    return logp;
  }
}
