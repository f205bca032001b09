import type { AdvantageColumns, Rng, RolloutColumns, SampleBatch, ValueColumns } from '@loomrl/core';
import type { ActorCriticSpec } from '@loomrl/core/internal';
import { ClippedAdam, createTfDistribution, type OptimizerState, TfActorCritic, type TfDistribution, tf } from '@loomrl/core/tf';
import { standardize } from '../connectors/gae.js';
import type { PPOTrainingSettings } from './config.js';

/** The PPO settings the learner reads. */
export type PPOLearnerSettings = Pick<
  PPOTrainingSettings,
  | 'lr'
  | 'gradClip'
  | 'klCoeff'
  | 'klTarget'
  | 'useKlLoss'
  | 'useCritic'
  | 'sgdMinibatchSize'
  | 'numSgdIter'
  | 'shuffleSequences'
  | 'clipParam'
  | 'vfClipParam'
  | 'vfLossCoeff'
  | 'entropyCoeff'
>;

interface MinibatchTensors {
  readonly obs: tf.Tensor2D;
  readonly actions: tf.Tensor2D;
  readonly oldLogp: tf.Tensor1D;
  readonly oldDistInputs: tf.Tensor2D;
  readonly advantages: tf.Tensor1D;
  readonly valueTargets: tf.Tensor1D;
}

const STAT_NAMES = ['totalLoss', 'policyLoss', 'vfLoss', 'kl', 'entropy'] as const;

/** PPO's learner stats (RLlib's `learner_stats`, camelCased). */
export type PPOLearnerStats = {
  readonly totalLoss: number;
  readonly policyLoss: number;
  readonly vfLoss: number;
  readonly vfExplainedVar: number;
  readonly kl: number;
  readonly entropy: number;
  readonly entropyCoeff: number;
  readonly curKlCoeff: number;
  readonly curLr: number;
  readonly gradGnorm: number;
  readonly numSgdSteps: number;
};

/**
 * PPO's learner: the loss and the update (RLlib's PPO loss, old API stack).
 *
 * loss = mean(−min(A·r, A·clip(r, 1−ε, 1+ε)))                 clipped surrogate, r = π/π_old
 *      + vfLossCoeff · mean(min((V − V_target)², vfClipParam))  clipped value loss
 *      − entropyCoeff · mean(H[π])                             entropy bonus
 *      + klCoeff · mean(KL(π_old ‖ π))                         adaptive KL penalty (useKlLoss)
 *
 * After each update the KL coefficient adapts: ×1.5 when KL > 2·klTarget, ×0.5 when KL < klTarget/2.
 */
export class PPOLearner {
  readonly model: TfActorCritic;
  private readonly distribution: TfDistribution;
  private readonly optimizer: ClippedAdam;
  private readonly settings: PPOLearnerSettings;
  private readonly rng: Rng;
  /** The current KL coefficient (RLlib `cur_kl_coeff`). */
  klCoeff: number;

  /** A learner for `spec` starting from `weights`; `rng` shuffles minibatches. */
  constructor(spec: ActorCriticSpec, weights: Float32Array, settings: PPOLearnerSettings, rng: Rng) {
    this.model = new TfActorCritic(spec, weights);
    this.distribution = createTfDistribution(spec.dist);
    this.optimizer = new ClippedAdam(this.model.variables, settings.lr, settings.gradClip);
    this.settings = settings;
    this.rng = rng;
    this.klCoeff = settings.klCoeff;
  }

  private loss(mb: MinibatchTensors, collect: tf.Scalar[][]): tf.Scalar {
    const s = this.settings;
    const { distInputs, values } = this.model.forward(mb.obs);
    const logp = this.distribution.logp(distInputs, mb.actions);
    const ratio = tf.exp(tf.sub(logp, mb.oldLogp));
    const surrogate = tf.minimum(
      tf.mul(mb.advantages, ratio),
      tf.mul(mb.advantages, tf.clipByValue(ratio, 1 - s.clipParam, 1 + s.clipParam)),
    );
    const policyLoss = tf.neg(tf.mean(surrogate)) as tf.Scalar;
    const kl = tf.mean(this.distribution.kl(mb.oldDistInputs, distInputs)) as tf.Scalar;
    const entropy = tf.mean(this.distribution.entropy(distInputs)) as tf.Scalar;
    const vfLoss = s.useCritic
      ? (tf.mean(tf.clipByValue(tf.square(tf.sub(values, mb.valueTargets)), 0, s.vfClipParam)) as tf.Scalar)
      : tf.scalar(0);
    let total = tf.add(policyLoss, tf.sub(tf.mul(s.vfLossCoeff, vfLoss), tf.mul(s.entropyCoeff, entropy)));
    if (s.useKlLoss) total = tf.add(total, tf.mul(this.klCoeff, kl));
    // The returned total is disposed by the optimizer; the stats keep their own copies.
    collect.push([tf.clone(total), policyLoss, vfLoss, kl, entropy].map((t) => tf.keep(t as tf.Scalar)));
    return total as tf.Scalar;
  }

  /** V(s) of `rows` flat observations (one batched forward pass on the learner's current weights). */
  values(obs: Float32Array, rows: number): Float32Array {
    if (rows === 0) return new Float32Array(0);
    return tf.tidy(() => {
      const { values } = this.model.forward(tf.tensor2d(obs, [rows, obs.length / rows]));
      return new Float32Array(values.dataSync());
    });
  }

  /**
   * Widens rollouts by the value estimates advantage estimation needs, all from this learner's
   * one forward pass: `vfPreds` = V(obs) of every row and `bootstrapValues` = V(nextObs) of each
   * row that ends a segment without terminating (a truncation or the end of a fragment), 0 elsewhere.
   */
  withValues(batch: SampleBatch<RolloutColumns>): SampleBatch<ValueColumns> {
    const n = batch.count;
    const { obs, nextObs, terminateds, epsId } = batch.columns;
    const dim = batch.widths.obs;
    const ends: number[] = [];
    for (let i = 0; i < n; i++) {
      const segmentEnd = i === n - 1 || epsId[i + 1] !== epsId[i];
      if (segmentEnd && terminateds[i] === 0) ends.push(i);
    }
    const endObs = new Float32Array(ends.length * dim);
    ends.forEach((row, k) => {
      endObs.set(nextObs.subarray(row * dim, (row + 1) * dim), k * dim);
    });
    const endValues = this.values(endObs, ends.length);
    const bootstrapValues = new Float32Array(n);
    ends.forEach((row, k) => {
      bootstrapValues[row] = endValues[k] as number;
    });
    return batch.withColumns({ vfPreds: 1, bootstrapValues: 1 }, { vfPreds: this.values(obs, n), bootstrapValues });
  }

  /** Minibatch SGD over `batch` for `numSgdIter` passes at learning rate `lr`; returns the learner stats. */
  update(batch: SampleBatch<AdvantageColumns>, lr: number): PPOLearnerStats {
    const s = this.settings;
    const n = batch.count;
    const c = batch.columns;
    this.optimizer.learningRate = lr;
    const advantages = standardize(new Float32Array(c.advantages));
    const all = {
      obs: tf.tensor2d(c.obs, [n, batch.widths.obs]),
      actions: tf.tensor2d(c.actions, [n, batch.widths.actions]),
      oldLogp: tf.tensor1d(c.actionLogp),
      oldDistInputs: tf.tensor2d(c.actionDistInputs, [n, batch.widths.actionDistInputs]),
      advantages: tf.tensor1d(advantages),
      valueTargets: tf.tensor1d(c.valueTargets),
    };
    const minibatch = Math.min(s.sgdMinibatchSize, n);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const collected: tf.Scalar[][] = [];
    let gradNormSum = 0;
    let steps = 0;
    for (let epoch = 0; epoch < s.numSgdIter; epoch++) {
      if (s.shuffleSequences) this.rng.shuffle(order);
      for (let start = 0; start + minibatch <= n; start += minibatch) {
        const indices = tf.tensor1d(order.subarray(start, start + minibatch), 'int32');
        const mb: MinibatchTensors = {
          obs: tf.gather(all.obs, indices),
          actions: tf.gather(all.actions, indices),
          oldLogp: tf.gather(all.oldLogp, indices),
          oldDistInputs: tf.gather(all.oldDistInputs, indices),
          advantages: tf.gather(all.advantages, indices),
          valueTargets: tf.gather(all.valueTargets, indices),
        };
        gradNormSum += this.optimizer.step(() => this.loss(mb, collected));
        steps += 1;
        tf.dispose([indices, ...Object.values(mb)]);
      }
    }
    const means = tf.tidy(() => tf.mean(tf.stack(collected.map((row) => tf.stack(row))), 0));
    const values = means.dataSync();
    tf.dispose([means, ...collected.flat(), ...Object.values(all)]);
    const stats = {} as Record<(typeof STAT_NAMES)[number], number>;
    STAT_NAMES.forEach((name, i) => {
      stats[name] = values[i] ?? Number.NaN;
    });
    const explainedVar = this.explainedVariance(c.valueTargets, c.vfPreds);
    const klUsed = this.klCoeff;
    this.adaptKlCoeff(stats.kl ?? 0);
    return {
      ...stats,
      vfExplainedVar: explainedVar,
      curKlCoeff: klUsed,
      curLr: lr,
      entropyCoeff: s.entropyCoeff,
      gradGnorm: gradNormSum / Math.max(1, steps),
      numSgdSteps: steps,
    };
  }

  private adaptKlCoeff(kl: number): void {
    if (kl > 2 * this.settings.klTarget) this.klCoeff *= 1.5;
    else if (kl < 0.5 * this.settings.klTarget) this.klCoeff *= 0.5;
  }

  private explainedVariance(targets: Float32Array, predictions: Float32Array): number {
    const n = targets.length;
    let meanT = 0;
    let meanD = 0;
    for (let i = 0; i < n; i++) {
      meanT += targets[i] as number;
      meanD += (targets[i] as number) - (predictions[i] as number);
    }
    meanT /= n;
    meanD /= n;
    let varT = 0;
    let varD = 0;
    for (let i = 0; i < n; i++) {
      varT += ((targets[i] as number) - meanT) ** 2;
      varD += ((targets[i] as number) - (predictions[i] as number) - meanD) ** 2;
    }
    return varT === 0 ? 0 : Math.max(-1, 1 - varD / varT);
  }

  /** Optimizer moments and step count for a checkpoint. */
  getOptimizerState(): Promise<OptimizerState> {
    return this.optimizer.getState();
  }

  /** Restores optimizer state from a checkpoint. */
  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.optimizer.setState(state);
  }

  /** Frees every tensor the learner holds. */
  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}
