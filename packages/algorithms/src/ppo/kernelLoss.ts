import type { DistributionGradients } from '@loomrl/core/internal';
import type { PPOLearnerSettings, PPOTrainData } from './learner.js';

/** One minibatch of PPO's loss inputs, gathered row-major: a train batch's columns without the observations. */
export type PPOMinibatch = Omit<PPOTrainData, 'obs' | 'obsDim'>;

/**
 * PPO's loss (see `PPOLearner`) on a minibatch's `distInputs` and `values`, in plain JS: returns
 * [total, policyLoss, vfLoss, kl, entropy] and writes the loss's gradients w.r.t. `distInputs` into
 * `dDistInputs` and w.r.t. `values` into `dValues`. Ties follow tfjs's gradients: `minimum` sends
 * the gradient to its first argument when equal, `clipByValue` passes it inside the closed range.
 * The means divide by `meanRows` (default `mb.rows`): a shard of a minibatch split across learner
 * threads passes the whole minibatch's row count, so the shards' terms and gradients sum to the
 * minibatch's.
 */
export function ppoLossGradients(
  distribution: DistributionGradients,
  distInputs: Float32Array,
  values: Float32Array,
  mb: PPOMinibatch,
  s: PPOLearnerSettings,
  klCoeff: number,
  dDistInputs: Float32Array,
  dValues: Float32Array,
  meanRows = mb.rows,
): number[] {
  const n = meanRows;
  const terms = new Float64Array(3);
  const low = 1 - s.clipParam;
  const high = 1 + s.clipParam;
  const gEntropy = -s.entropyCoeff / n;
  const gKl = s.useKlLoss ? klCoeff / n : 0;
  let surrogateSum = 0;
  let klSum = 0;
  let entropySum = 0;
  let vfSum = 0;
  for (let r = 0; r < mb.rows; r++) {
    const at = r * mb.distDim;
    const actionAt = r * mb.actionDim;
    distribution.evaluate(distInputs, at, mb.actions, actionAt, mb.oldDistInputs, at, terms);
    const ratio = Math.exp((terms[0] as number) - (mb.oldLogp[r] as number));
    const advantage = mb.advantages[r] as number;
    const unclipped = advantage * ratio;
    const clipped = advantage * Math.min(Math.max(ratio, low), high);
    const passes = unclipped <= clipped || (ratio >= low && ratio <= high);
    surrogateSum += Math.min(unclipped, clipped);
    klSum += terms[2] as number;
    entropySum += terms[1] as number;
    const gLogp = passes ? -(advantage * ratio) / n : 0;
    distribution.backward(gLogp, gEntropy, gKl, dDistInputs, at);
    if (s.useCritic) {
      const diff = (values[r] as number) - (mb.valueTargets[r] as number);
      const squared = diff * diff;
      vfSum += Math.min(squared, s.vfClipParam);
      dValues[r] = squared <= s.vfClipParam ? (s.vfLossCoeff * 2 * diff) / n : 0;
    }
  }
  const policyLoss = -surrogateSum / n;
  const vfLoss = vfSum / n;
  const kl = klSum / n;
  const entropy = entropySum / n;
  const total = policyLoss + s.vfLossCoeff * vfLoss - s.entropyCoeff * entropy + (s.useKlLoss ? klCoeff * kl : 0);
  return [total, policyLoss, vfLoss, kl, entropy];
}
