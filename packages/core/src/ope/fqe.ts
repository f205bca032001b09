import { initialWeights } from '../models/layout.js';
import { type QNetworkSpec, qNetworkLayout } from '../models/qNetwork.js';
import type { Rng } from '../rng.js';
import type { SampleBatch, TransitionColumns } from '../sampleBatch.js';
import { tf, useBackend } from '../tf/backend.js';
import { ClippedAdam } from '../tf/optimizer.js';
import { TfQNetwork } from '../tf/tfQNetwork.js';
import type { FqeSettings } from './fqeSettings.js';
import type { TargetPolicy } from './types.js';

/**
 * Fitted Q evaluation (RLlib's `FQETorchModel`) for Discrete actions: a Q network trained on logged
 * transitions towards y = r + γ (1 − terminated) Σₐ π_e(a|s′) Q_target(s′, a), loss mean((y − Q(s, a))²),
 * Adam with global-norm clipping; the target follows after each epoch. Warm-starts across fits.
 */
export class FittedQEvaluation {
  private readonly online: TfQNetwork;
  private readonly target: TfQNetwork;
  private readonly optimizer: ClippedAdam;

  /** A fresh Q network for `obsDim` observations and `numActions` actions, drawn from `rng`, on tfjs backend `backend`. */
  constructor(
    obsDim: number,
    numActions: number,
    private readonly settings: FqeSettings,
    private readonly backend: string,
    rng: Rng,
  ) {
    const spec: QNetworkSpec = { obsDim, numActions, hiddens: [...settings.hiddens], activation: 'relu', headHiddens: [], dueling: false };
    const weights = initialWeights(qNetworkLayout(spec), rng);
    useBackend(backend);
    this.online = new TfQNetwork(spec, weights);
    this.target = new TfQNetwork(spec, weights, false);
    this.optimizer = new ClippedAdam(this.online.weights.variables, settings.lr, settings.clipGradNorm, 1e-8);
  }

  /** Fits on `batch` for up to `nIters` epochs (shuffled minibatches from `rng`); returns each epoch's mean loss. */
  train(batch: SampleBatch<TransitionColumns>, policy: TargetPolicy, gamma: number, rng: Rng): number[] {
    const c = batch.columns;
    const n = this.online.spec.numActions;
    const nextProbs = policy.allActionProbs(c.nextObs, batch.count) as Float32Array;
    const size = this.settings.minibatchSize ?? batch.count;
    const losses: number[] = [];
    useBackend(this.backend);
    for (let epoch = 0; epoch < this.settings.nIters; epoch++) {
      const order = rng.shuffle(Int32Array.from({ length: batch.count }, (_, i) => i));
      let total = 0;
      let steps = 0;
      for (let start = 0; start < batch.count; start += size) {
        const rows = order.subarray(start, Math.min(batch.count, start + size));
        const mb = batch.gather(rows);
        const probs = new Float32Array(rows.length * n);
        rows.forEach((row, i) => {
          probs.set(nextProbs.subarray(row * n, (row + 1) * n), i * n);
        });
        const dim = mb.widths.obs;
        let loss = 0;
        tf.tidy(() => {
          const obs = tf.tensor2d(mb.columns.obs, [rows.length, dim]);
          const nextObs = tf.tensor2d(mb.columns.nextObs, [rows.length, dim]);
          const actions = tf.oneHot(tf.tensor1d(Int32Array.from(mb.columns.actions), 'int32'), n);
          const notDone = tf.tensor1d(Float32Array.from(mb.columns.terminateds, (t) => 1 - t));
          const nextV = tf.sum(tf.mul(this.target.forward(nextObs), tf.tensor2d(probs, [rows.length, n])), 1);
          const y = tf.add(tf.tensor1d(mb.columns.rewards), tf.mul(gamma, tf.mul(notDone, nextV)));
          this.optimizer.step(() => {
            const q = tf.sum(tf.mul(this.online.forward(obs), actions), 1);
            const l = tf.mean(tf.square(tf.sub(y, q))) as tf.Scalar;
            loss = l.dataSync()[0] ?? Number.NaN;
            return l;
          });
        });
        total += loss;
        steps += 1;
      }
      const mean = total / Math.max(1, steps);
      losses.push(mean);
      if (mean < this.settings.minLossThreshold) break;
      this.target.weights.assignFrom(this.online.weights, this.settings.polyakCoef);
    }
    return losses;
  }

  /** Q̂(s, ·) of `rows` observations, `rows × numActions`. */
  qValues(obs: Float32Array, rows: number): Float32Array {
    useBackend(this.backend);
    return tf.tidy(() => this.online.forward(tf.tensor2d(obs, [rows, this.online.spec.obsDim])).dataSync() as Float32Array);
  }

  /** Frees the networks. */
  dispose(): void {
    useBackend(this.backend);
    this.optimizer.dispose();
    this.online.dispose();
    this.target.dispose();
  }
}
