import { tf } from '@loomrl/core/tf';

/** The Q values and log-probabilities CQL's conservative penalty reads, for one critic. */
export interface PenaltyInputs {
  /** Q(s, a_rand) for `numActions` uniform actions per state, `[numActions · B]`, sample-major (row n·B + b). */
  readonly qRandom: tf.Tensor1D;
  /** Q(s, a′) with a′ ~ π(·|s′), same layout. */
  readonly qNext: tf.Tensor1D;
  /** log π(a′|s′), same layout (held constant). */
  readonly logpNext: tf.Tensor1D;
  /** Q(s, ã) with ã ~ π(·|s), same layout. */
  readonly qCurrent: tf.Tensor1D;
  /** log π(ã|s), same layout (held constant). */
  readonly logpCurrent: tf.Tensor1D;
  /** Q(s, a) on the data's actions, `[B]`. */
  readonly qData: tf.Tensor1D;
}

/** The penalty's constants (RLlib `num_actions`, `temperature`, `min_q_weight`; d = action dim). */
export interface PenaltySettings {
  readonly numActions: number;
  readonly actionDim: number;
  readonly temperature: number;
  readonly minQWeight: number;
}

/**
 * CQL's conservative penalty for one critic (RLlib's CQL loss, step 4):
 * minQWeight · (T · mean_s logsumexp_j(X_j / T) − mean Q(s, a_data)), with the 3·numActions
 * importance-corrected terms X = [Q(s, a_rand) − log 0.5ᵈ, Q(s, a′) − log π(a′|s′), Q(s, ã) − log π(ã|s)]
 * (uniform actions on [-1, 1]ᵈ have density 0.5ᵈ).
 */
export function conservativePenalty(inputs: PenaltyInputs, settings: PenaltySettings): tf.Scalar {
  const { numActions: n, temperature, minQWeight } = settings;
  const perState = (t: tf.Tensor1D) => tf.reshape(t, [n, -1]);
  const logUniform = settings.actionDim * Math.log(0.5);
  const x = tf.concat(
    [
      perState(tf.sub(inputs.qRandom, logUniform)),
      perState(tf.sub(inputs.qNext, inputs.logpNext)),
      perState(tf.sub(inputs.qCurrent, inputs.logpCurrent)),
    ],
    0,
  );
  const lse = tf.mul(temperature, tf.logSumExp(tf.div(x, temperature), 0));
  return tf.mul(minQWeight, tf.sub(tf.mean(lse), tf.mean(inputs.qData))) as tf.Scalar;
}
