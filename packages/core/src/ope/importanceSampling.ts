import { datasetMetrics, episodeMetrics, episodeRanges, meanAndStd, sampleStd } from './episodes.js';
import type { EstimatorInput, OffPolicyEstimator } from './types.js';

/** ρ_t = π_e(a_t|s_t) / π_b(a_t|s_t) for every row, with π_e mixed with uniform for `epsilonGreedy` > 0. */
export function importanceRatios(input: EstimatorInput, epsilonGreedy: number): Float64Array {
  const { batch, policy } = input;
  const c = batch.columns;
  const target = policy.actionProbs(c.obs, c.actions, batch.count);
  const n = policy.numActions;
  const ratios = new Float64Array(batch.count);
  for (let r = 0; r < batch.count; r++) {
    const pe = epsilonGreedy > 0 && n !== null ? (1 - epsilonGreedy) * (target[r] as number) + epsilonGreedy / n : (target[r] as number);
    ratios[r] = pe / (c.actionProb[r] as number);
  }
  return ratios;
}

/** Per episode: the discounted return, and the cumulative ratios p_t = Π_{t' ≤ t} ρ_t'. */
function episodeProducts(input: EstimatorInput, ratios: Float64Array) {
  const rewards = input.batch.columns.rewards;
  return episodeRanges(input.batch).map(([start, end]) => {
    const p = new Float64Array(end - start);
    let product = 1;
    let behavior = 0;
    let discount = 1;
    for (let r = start; r < end; r++) {
      product *= ratios[r] as number;
      p[r - start] = product;
      behavior += discount * (rewards[r] as number);
      discount *= input.gamma;
    }
    return { start, p, behavior };
  });
}

function discountedWeighted(input: EstimatorInput, start: number, weights: ArrayLike<number>): number {
  const rewards = input.batch.columns.rewards;
  let value = 0;
  let discount = 1;
  for (let t = 0; t < weights.length; t++) {
    value += discount * (weights[t] as number) * (rewards[start + t] as number);
    discount *= input.gamma;
  }
  return value;
}

/**
 * Ordinary importance sampling (RLlib's `ImportanceSampling`): per episode V = Σ_t γ^t p_t r_t with
 * p_t the cumulative ratio; in dataset mode V = mean(ρ r).
 */
export class ImportanceSampling implements OffPolicyEstimator {
  constructor(private readonly epsilonGreedy = 0) {}

  async estimate(input: EstimatorInput): Promise<Record<string, number>> {
    const ratios = importanceRatios(input, this.epsilonGreedy);
    if (!input.splitByEpisode) {
      const r = input.batch.columns.rewards;
      const weighted = Float64Array.from(ratios, (rho, i) => rho * (r[i] as number));
      return datasetMetrics(meanAndStd(weighted).mean, meanAndStd(r).mean, sampleStd(weighted), weighted.length);
    }
    const episodes = episodeProducts(input, ratios);
    return episodeMetrics(
      episodes.map((e) => e.behavior),
      episodes.map((e) => discountedWeighted(input, e.start, e.p)),
    );
  }
}

/**
 * Weighted (self-normalised) importance sampling (RLlib's `WeightedImportanceSampling`, ≥ 2.2): the
 * cumulative ratio at step t is divided by its mean w_t over the episodes that reach step t, in this
 * estimate; in dataset mode V = mean(ρ r) / mean(ρ).
 */
export class WeightedImportanceSampling implements OffPolicyEstimator {
  constructor(private readonly epsilonGreedy = 0) {}

  async estimate(input: EstimatorInput): Promise<Record<string, number>> {
    const ratios = importanceRatios(input, this.epsilonGreedy);
    if (!input.splitByEpisode) {
      const r = input.batch.columns.rewards;
      const weighted = Float64Array.from(ratios, (rho, i) => rho * (r[i] as number));
      const meanRatio = meanAndStd(ratios).mean;
      return datasetMetrics(meanAndStd(weighted).mean / meanRatio, meanAndStd(r).mean, sampleStd(weighted) / meanRatio, weighted.length);
    }
    const episodes = episodeProducts(input, ratios);
    const longest = Math.max(0, ...episodes.map((e) => e.p.length));
    const sums = new Float64Array(longest);
    const counts = new Float64Array(longest);
    for (const e of episodes) {
      for (let t = 0; t < e.p.length; t++) {
        sums[t] = (sums[t] as number) + (e.p[t] as number);
        counts[t] = (counts[t] as number) + 1;
      }
    }
    return episodeMetrics(
      episodes.map((e) => e.behavior),
      episodes.map((e) =>
        discountedWeighted(
          input,
          e.start,
          Float64Array.from(e.p, (p, t) => p / ((sums[t] as number) / (counts[t] as number))),
        ),
      ),
    );
  }
}
