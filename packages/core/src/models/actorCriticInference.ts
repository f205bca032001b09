import { DataError } from '../errors.js';
import type { Rng } from '../rng.js';
import { createPlainDistribution, type PlainDistribution } from './distributions.js';
import { type WeightLayout, weightLayout } from './layout.js';
import { denseForward, type PreparedDense, prepareDense } from './mlpForward.js';
import { type ActorCriticSpec, actionDim, distInputDim } from './spec.js';

/** What `ActorCriticInference.computeActions` writes, one row per observation. Views: read before the next call. */
export interface ActionBatch {
  /** `rows × actionDim` raw actions (indices for discrete, unsquashed Gaussian samples for Box). */
  readonly actions: Float32Array;
  readonly logp: Float32Array;
  /** `rows × distInputDim`. */
  readonly distInputs: Float32Array;
  readonly values: Float32Array;
}

/**
 * The inference module: the actor-critic forward pass in plain typed-array loops, for acting in
 * samplers and `computeSingleAction` (same numbers as the tfjs learner to ~1e-5). Holds a copy of
 * the flat weights; `setWeights` replaces them.
 */
export class ActorCriticInference {
  readonly spec: ActorCriticSpec;
  readonly layout: WeightLayout;
  readonly distribution: PlainDistribution;
  readonly actionDim: number;
  readonly distInputDim: number;
  private weights: Float32Array;
  private prepared: { policy: PreparedDense[]; logits: PreparedDense; value: PreparedDense[]; valueHead: PreparedDense };
  private capacity = 0;
  private scratchA = new Float32Array(0);
  private scratchB = new Float32Array(0);
  /** Gaussian means when the log-std is a free parameter. */
  private means = new Float32Array(0);
  private out: { actions: Float32Array; logp: Float32Array; distInputs: Float32Array; values: Float32Array } = {
    actions: new Float32Array(0),
    logp: new Float32Array(0),
    distInputs: new Float32Array(0),
    values: new Float32Array(0),
  };

  /** An inference module for `spec` with zero weights until `setWeights`. */
  constructor(spec: ActorCriticSpec) {
    this.spec = spec;
    this.layout = weightLayout(spec);
    this.distribution = createPlainDistribution(spec.dist);
    this.actionDim = actionDim(spec.dist);
    this.distInputDim = distInputDim(spec.dist);
    this.weights = new Float32Array(this.layout.size);
    this.prepared = this.prepare();
  }

  private prepare(): { policy: PreparedDense[]; logits: PreparedDense; value: PreparedDense[]; valueHead: PreparedDense } {
    const w = this.weights;
    const layout = this.layout;
    return {
      policy: layout.policyTrunk.map((layer) => prepareDense(layer, w)),
      logits: prepareDense(layout.logitsHead, w),
      value: layout.valueTrunk.map((layer) => prepareDense(layer, w)),
      valueHead: prepareDense(layout.valueHead, w),
    };
  }

  /** Replaces the weights with a copy of `weights` (the flat layout of `weightLayout`). */
  setWeights(weights: Float32Array): void {
    if (weights.length !== this.layout.size) {
      throw new DataError(`setWeights: expected ${this.layout.size} numbers for this model, got ${weights.length}`);
    }
    this.weights = new Float32Array(weights);
    this.prepared = this.prepare();
  }

  /** A copy of the current weights. */
  getWeights(): Float32Array {
    return new Float32Array(this.weights);
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    const widest = Math.max(this.spec.obsDim, ...this.spec.hiddens, this.distInputDim, 1);
    this.capacity = rows;
    this.scratchA = new Float32Array(rows * widest);
    this.scratchB = new Float32Array(rows * widest);
    this.means = new Float32Array(this.layout.logStd === null ? 0 : rows * this.layout.logStd.size);
    this.out = {
      actions: new Float32Array(rows * this.actionDim),
      logp: new Float32Array(rows),
      distInputs: new Float32Array(rows * this.distInputDim),
      values: new Float32Array(rows),
    };
  }

  /** Runs `layers` then `head`, returns the head's output in a scratch buffer. */
  private runBranch(layers: readonly PreparedDense[], head: PreparedDense, obs: Float32Array, rows: number, target: Float32Array): void {
    let input = obs;
    let output = this.scratchA;
    for (const layer of layers) {
      denseForward(layer, input, rows, output, this.spec.activation);
      input = output;
      output = output === this.scratchA ? this.scratchB : this.scratchA;
    }
    denseForward(head, input, rows, target, 'linear');
  }

  /**
   * Action-distribution inputs and value estimates for `rows` flat observations; with
   * `withValues: false` the value branch is skipped (its output is then stale).
   */
  forward(obs: Float32Array, rows: number, withValues = true): { distInputs: Float32Array; values: Float32Array } {
    this.ensureCapacity(rows);
    const { layout, spec } = this;
    const distInputs = this.out.distInputs;
    if (layout.logStd === null) {
      this.runBranch(this.prepared.policy, this.prepared.logits, obs, rows, distInputs);
    } else {
      // Free log-std: the head gives means; the state-independent log-std fills the second half.
      const dim = layout.logStd.size;
      const means = this.means;
      this.runBranch(this.prepared.policy, this.prepared.logits, obs, rows, means);
      for (let r = 0; r < rows; r++) {
        distInputs.set(means.subarray(r * dim, (r + 1) * dim), r * 2 * dim);
        distInputs.set(this.weights.subarray(layout.logStd.offset, layout.logStd.offset + dim), r * 2 * dim + dim);
      }
    }
    if (withValues) {
      const valueTrunk = spec.vfShareLayers ? this.prepared.policy : this.prepared.value;
      this.runBranch(valueTrunk, this.prepared.valueHead, obs, rows, this.out.values);
    }
    return { distInputs: distInputs.subarray(0, rows * this.distInputDim), values: this.out.values.subarray(0, rows) };
  }

  /**
   * Actions for `rows` observations: sampled from `rng` when `explore`, else the distribution's
   * mode. `rng` is one stream, or one per row (so each env's actions depend only on its own
   * stream). `withValues: false` skips the value branch (samplers only act), about half the cost.
   */
  computeActions(obs: Float32Array, rows: number, explore: boolean, rng: Rng | readonly Rng[], withValues = true): ActionBatch {
    const { distInputs, values } = this.forward(obs, rows, withValues);
    const { actions, logp } = this.out;
    const perRow = Array.isArray(rng);
    for (let r = 0; r < rows; r++) {
      const inOffset = r * this.distInputDim;
      const outOffset = r * this.actionDim;
      logp[r] = explore
        ? this.distribution.sample(distInputs, inOffset, perRow ? (rng[r] as Rng) : (rng as Rng), actions, outOffset)
        : this.distribution.mode(distInputs, inOffset, actions, outOffset);
    }
    return { actions: actions.subarray(0, rows * this.actionDim), logp: logp.subarray(0, rows), distInputs, values };
  }
}
