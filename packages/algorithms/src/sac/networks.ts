import { TfActor, TfMlp, tf } from '@loomrl/core/tf';
import type { SacNetworkState } from './learner.js';
import type { SacNetworkSpec } from './networkSpec.js';

export { criticLayout, initialCriticWeights, normalNoise, type SacNetworkSpec } from './networkSpec.js';

/** The named weight sets of SAC's networks, as checkpoints store them. */
export interface SacWeights {
  readonly policy: Float32Array;
  readonly q: readonly Float32Array[];
  readonly qTarget: readonly Float32Array[];
  readonly logAlpha: number;
}

/**
 * SAC's networks on tfjs variables: the actor (the `actor` module's twin), one or two Q networks,
 * their targets (hard copies at the start, soft-updated by `updateTargets`), and log α.
 */
export class SacNetworks implements SacNetworkState {
  readonly actor: TfActor;
  readonly q: TfMlp[];
  readonly qTarget: TfMlp[];
  readonly logAlpha: tf.Variable;

  /** Networks for `spec` starting from `weights` (targets default to copies of the Q networks). */
  constructor(
    readonly spec: SacNetworkSpec,
    weights: Omit<SacWeights, 'qTarget'> & { readonly qTarget?: readonly Float32Array[] },
  ) {
    this.actor = new TfActor(spec.actor, weights.policy);
    this.q = weights.q.map((w) => new TfMlp(spec.critic, spec.criticActivation, w));
    this.qTarget = (weights.qTarget ?? weights.q).map((w) => new TfMlp(spec.critic, spec.criticActivation, w, false));
    this.logAlpha = tf.variable(tf.scalar(weights.logAlpha), true);
  }

  /** The critics' trainable variables. */
  get criticVariables(): tf.Variable[] {
    return this.q.flatMap((net) => net.weights.variables);
  }

  /** Q values: continuous `[rows]` at `actions`; discrete `[rows, n]`. */
  qValues(net: TfMlp, obs: tf.Tensor2D, actions: tf.Tensor2D | null): tf.Tensor {
    if (this.spec.discrete) return net.forward(obs);
    return tf.reshape(net.forward(tf.concat([obs, actions as tf.Tensor2D], 1)), [-1]);
  }

  /** The element-wise minimum over `nets` (one net: its values). */
  minQ(nets: readonly TfMlp[], obs: tf.Tensor2D, actions: tf.Tensor2D | null): tf.Tensor {
    const values = nets.map((net) => this.qValues(net, obs, actions));
    return values.length === 1 ? (values[0] as tf.Tensor) : tf.minimum(values[0] as tf.Tensor, values[1] as tf.Tensor);
  }

  /** target ← τ·online + (1 − τ)·target for every Q network. */
  updateTargets(tau: number): void {
    this.qTarget.forEach((target, i) => {
      target.weights.assignFrom((this.q[i] as TfMlp).weights, tau);
    });
  }

  /** The actor's weights (a flat copy). */
  getActorWeights(): Float32Array {
    return this.actor.weights.getWeights();
  }

  /** Sets the actor's weights from a flat array. */
  setActorWeights(weights: Float32Array): void {
    this.actor.weights.setWeights(weights);
  }

  /** Every weight set, as flat arrays. */
  getWeights(): SacWeights {
    return {
      policy: this.actor.weights.getWeights(),
      q: this.q.map((net) => net.weights.getWeights()),
      qTarget: this.qTarget.map((net) => net.weights.getWeights()),
      logAlpha: this.logAlpha.dataSync()[0] ?? 0,
    };
  }

  /** Restores every weight set. */
  setWeights(weights: SacWeights): void {
    this.actor.weights.setWeights(weights.policy);
    weights.q.forEach((w, i) => {
      this.q[i]?.weights.setWeights(w);
    });
    weights.qTarget.forEach((w, i) => {
      this.qTarget[i]?.weights.setWeights(w);
    });
    tf.tidy(() => this.logAlpha.assign(tf.scalar(weights.logAlpha)));
  }

  /** Frees the variables. */
  dispose(): void {
    this.actor.dispose();
    for (const net of [...this.q, ...this.qTarget]) net.dispose();
    this.logAlpha.dispose();
  }
}

/** Huber loss with δ = 1 per element: ½·min(|x|, 1)² + (|x| − min(|x|, 1)). */
export function huber(x: tf.Tensor): tf.Tensor {
  const abs = tf.abs(x);
  const quadratic = tf.minimum(abs, 1);
  return tf.add(tf.mul(0.5, tf.square(quadratic)), tf.sub(abs, quadratic));
}
