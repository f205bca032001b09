import { ConfigError } from '../errors.js';
import { createRng, type Rng } from '../rng.js';
import { datasetMetrics, episodeMetrics, episodeRanges, meanAndStd, sampleStd } from './episodes.js';
import type { FittedQEvaluation } from './fqe.js';
import type { FqeSettings } from './fqeSettings.js';
import { importanceRatios } from './importanceSampling.js';
import type { EstimatorInput, OffPolicyEstimator } from './types.js';

/** Q̂(s_t, a_t) and V̂(s_t) = Σₐ π_e(a|s_t) Q̂(s_t, a) for every row, from a freshly fitted FQE model. */
interface ModelValues {
  readonly q: Float64Array;
  readonly v: Float64Array;
  readonly loss: number;
}

/** What DM and DR share: an FQE model fitted on the data they estimate from (warm-started across estimates). */
abstract class ModelBasedEstimator implements OffPolicyEstimator {
  private model: FittedQEvaluation | null = null;
  private readonly rng: Rng;

  constructor(
    protected readonly fqe: FqeSettings,
    protected readonly epsilonGreedy: number,
    private readonly backend: () => Promise<string>,
    seed: string,
  ) {
    this.rng = createRng(seed, 'fqe');
  }

  protected async fit(input: EstimatorInput): Promise<ModelValues> {
    const { batch, policy } = input;
    const n = policy.numActions;
    if (n === null)
      throw new ConfigError('DirectMethod and DoublyRobust fit a Q model over Discrete actions; this action space is not Discrete.');
    const { FittedQEvaluation } = await import('./fqe.js');
    const backend = await this.backend();
    this.model ??= new FittedQEvaluation(batch.widths.obs, n, this.fqe, backend, createRng(this.rng.uint32(), 'init'));
    const losses = this.model.train(batch, policy, input.gamma, this.rng);
    const c = batch.columns;
    const qAll = this.model.qValues(c.obs, batch.count);
    const probs = policy.allActionProbs(c.obs, batch.count) as Float32Array;
    const q = new Float64Array(batch.count);
    const v = new Float64Array(batch.count);
    for (let r = 0; r < batch.count; r++) {
      q[r] = qAll[r * n + (c.actions[r] as number)] as number;
      let value = 0;
      for (let a = 0; a < n; a++) {
        const p =
          this.epsilonGreedy > 0
            ? (1 - this.epsilonGreedy) * (probs[r * n + a] as number) + this.epsilonGreedy / n
            : (probs[r * n + a] as number);
        value += p * (qAll[r * n + a] as number);
      }
      v[r] = value;
    }
    return { q, v, loss: losses[losses.length - 1] ?? Number.NaN };
  }

  abstract estimate(input: EstimatorInput): Promise<Record<string, number>>;
}

function discountedReturns(input: EstimatorInput): { ranges: Array<readonly [number, number]>; behavior: number[] } {
  const rewards = input.batch.columns.rewards;
  const ranges = input.splitByEpisode
    ? episodeRanges(input.batch)
    : Array.from({ length: input.batch.count }, (_, r) => [r, r + 1] as const);
  const behavior = ranges.map(([start, end]) => {
    let value = 0;
    let discount = 1;
    for (let r = start; r < end; r++) {
      value += discount * (rewards[r] as number);
      discount *= input.gamma;
    }
    return value;
  });
  return { ranges, behavior };
}

/**
 * The direct method (RLlib's `DirectMethod`): V = V̂(s₀) of each episode from a fitted Q model
 * (FQE); in dataset mode V = mean V̂(s). Reports the fit's last loss as `fqeLoss`.
 */
export class DirectMethod extends ModelBasedEstimator {
  async estimate(input: EstimatorInput): Promise<Record<string, number>> {
    const { v, loss } = await this.fit(input);
    const { ranges, behavior } = discountedReturns(input);
    if (!input.splitByEpisode) {
      return { ...datasetMetrics(meanAndStd(v).mean, meanAndStd(behavior).mean, sampleStd(v), v.length), fqeLoss: loss };
    }
    return {
      ...episodeMetrics(
        behavior,
        ranges.map(([start]) => v[start] as number),
      ),
      fqeLoss: loss,
    };
  }
}

/**
 * The doubly robust estimator (RLlib's `DoublyRobust`): per episode, backwards from V_T = 0,
 * V_t = V̂(s_t) + ρ_t (r_t + γ V_{t+1} − Q̂(s_t, a_t)); in dataset mode (normalised weights)
 * V = mean(V̂ + ρ/mean(ρ) · (r − Q̂)).
 */
export class DoublyRobust extends ModelBasedEstimator {
  async estimate(input: EstimatorInput): Promise<Record<string, number>> {
    const { q, v, loss } = await this.fit(input);
    const rho = importanceRatios(input, this.epsilonGreedy);
    const rewards = input.batch.columns.rewards;
    const { ranges, behavior } = discountedReturns(input);
    if (!input.splitByEpisode) {
      const meanRho = meanAndStd(rho).mean;
      const values = Float64Array.from(v, (vr, r) => vr + ((rho[r] as number) / meanRho) * ((rewards[r] as number) - (q[r] as number)));
      return {
        ...datasetMetrics(meanAndStd(values).mean, meanAndStd(behavior).mean, sampleStd(values) / meanRho, values.length),
        fqeLoss: loss,
      };
    }
    const targets = ranges.map(([start, end]) => {
      let next = 0;
      for (let r = end - 1; r >= start; r--) {
        next = (v[r] as number) + (rho[r] as number) * ((rewards[r] as number) + input.gamma * next - (q[r] as number));
      }
      return next;
    });
    return { ...episodeMetrics(behavior, targets), fqeLoss: loss };
  }
}
