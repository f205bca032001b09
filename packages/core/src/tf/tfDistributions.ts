import type { DistributionSpec } from '../models/spec.js';
import { tf } from './backend.js';

/** Log-probabilities, entropy and KL of the action distribution, as differentiable tfjs ops. */
export interface TfDistribution {
  /** `[rows]` log-probabilities of `actions` (`[rows, actionDim]`). */
  logp(distInputs: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor1D;
  /** `[rows]` entropies. */
  entropy(distInputs: tf.Tensor2D): tf.Tensor1D;
  /** `[rows]` KL(old ‖ new). */
  kl(oldInputs: tf.Tensor2D, newInputs: tf.Tensor2D): tf.Tensor1D;
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

class TfMultiCategorical implements TfDistribution {
  constructor(private readonly nvec: readonly number[]) {}

  private blocks(x: tf.Tensor2D): tf.Tensor2D[] {
    return this.nvec.length === 1 ? [x] : tf.split(x, [...this.nvec], 1);
  }

  logp(distInputs: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor1D {
    const parts = this.blocks(distInputs).map((logits, j) => {
      const logProbs = tf.logSoftmax(logits);
      const index = tf.cast(tf.reshape(tf.slice(actions, [0, j], [-1, 1]), [-1]), 'int32');
      const oneHot = tf.oneHot(index, this.nvec[j] as number);
      return tf.sum(tf.mul(logProbs, oneHot), 1);
    });
    return (parts.length === 1 ? parts[0] : tf.addN(parts)) as tf.Tensor1D;
  }

  entropy(distInputs: tf.Tensor2D): tf.Tensor1D {
    const parts = this.blocks(distInputs).map((logits) => {
      const logProbs = tf.logSoftmax(logits);
      return tf.neg(tf.sum(tf.mul(tf.exp(logProbs), logProbs), 1));
    });
    return (parts.length === 1 ? parts[0] : tf.addN(parts)) as tf.Tensor1D;
  }

  kl(oldInputs: tf.Tensor2D, newInputs: tf.Tensor2D): tf.Tensor1D {
    const oldBlocks = this.blocks(oldInputs);
    const parts = this.blocks(newInputs).map((logits, j) => {
      const oldLog = tf.logSoftmax(oldBlocks[j] as tf.Tensor2D);
      const newLog = tf.logSoftmax(logits);
      return tf.sum(tf.mul(tf.exp(oldLog), tf.sub(oldLog, newLog)), 1);
    });
    return (parts.length === 1 ? parts[0] : tf.addN(parts)) as tf.Tensor1D;
  }
}

class TfDiagGaussian implements TfDistribution {
  constructor(private readonly dim: number) {}

  private split(x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    const [mean, logStd] = tf.split(x, 2, 1);
    return [mean as tf.Tensor2D, logStd as tf.Tensor2D];
  }

  logp(distInputs: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor1D {
    const [mean, logStd] = this.split(distInputs);
    const z = tf.div(tf.sub(actions, mean), tf.exp(logStd));
    return tf.sub(tf.sum(tf.sub(tf.mul(-0.5, tf.square(z)), logStd), 1), this.dim * HALF_LOG_TWO_PI) as tf.Tensor1D;
  }

  entropy(distInputs: tf.Tensor2D): tf.Tensor1D {
    const [, logStd] = this.split(distInputs);
    return tf.sum(tf.add(logStd, 0.5 + HALF_LOG_TWO_PI), 1) as tf.Tensor1D;
  }

  kl(oldInputs: tf.Tensor2D, newInputs: tf.Tensor2D): tf.Tensor1D {
    const [m0, s0] = this.split(oldInputs);
    const [m1, s1] = this.split(newInputs);
    const term = tf.div(tf.add(tf.exp(tf.mul(2, s0)), tf.square(tf.sub(m0, m1))), tf.mul(2, tf.exp(tf.mul(2, s1))));
    return tf.sum(tf.sub(tf.add(tf.sub(s1, s0), term), 0.5), 1) as tf.Tensor1D;
  }
}

/** The tfjs distribution for `spec` (twin of `createPlainDistribution`). */
export function createTfDistribution(spec: DistributionSpec): TfDistribution {
  if (spec.type === 'categorical') return new TfMultiCategorical([spec.n]);
  if (spec.type === 'multiCategorical') return new TfMultiCategorical(spec.nvec);
  return new TfDiagGaussian(spec.dim);
}
