import { ConfigError, DataError, type SampleBatch } from '@loomrl/core';
import type { NStepColumns, NStepInputColumns } from '../replay/columns.js';

/** Options of the n-step connector (RLlib's `n_step` and `gamma`). */
export interface NStepOptions {
  /** Rewards summed per transition, at most (RLlib `n_step`); 1 leaves rewards as they are. */
  readonly nStep: number;
  /** Discount γ in [0, 1]. */
  readonly gamma: number;
}

const REQUIRED = ['rewards', 'nextObs', 'terminateds', 'truncateds', 'epsId'] as const;

/**
 * The n-step connector: turns one-step transitions into n-step ones, for n-step Q-learning targets
 * R + nStepDiscount·(1 − terminated)·maxₐ Q(nextObs, a).
 *
 * For each row t it sums Rₜ = rₜ + γ·rₜ₊₁ + … + γᵏ⁻¹·rₜ₊ₖ₋₁ over the k ≤ n rows that follow
 * within the same episode segment (rows of a segment are contiguous and share an `epsId`; a segment
 * ends where `epsId` changes or the batch ends), stopping after a terminated or truncated row. Row
 * t then takes `nextObs`, `terminateds` and `truncateds` of the last row used, and the added column
 * `nStepDiscounts` holds γᵏ for the k rows actually used.
 *
 * RLlib's `adjust_nstep` shortens the window at a fragment or truncation end the same way but its
 * loss still discounts the bootstrap by γⁿ; here the discount is γᵏ, which is the correct one.
 * The input batch is not changed: a new batch holds the new columns (widen types, don't mutate).
 */
export function computeNStepTransitions<C extends NStepInputColumns>(
  batch: SampleBatch<C>,
  options: NStepOptions,
): SampleBatch<C & NStepColumns> {
  const { nStep, gamma } = options;
  if (!(Number.isInteger(nStep) && nStep >= 1))
    throw new ConfigError(`computeNStepTransitions: nStep expected an integer >= 1, got ${nStep}`);
  if (!(typeof gamma === 'number' && gamma >= 0 && gamma <= 1)) {
    throw new ConfigError(`computeNStepTransitions: gamma expected a number in [0, 1], got ${gamma}`);
  }
  for (const name of REQUIRED) {
    if (batch.columns[name] === undefined) throw new DataError(`computeNStepTransitions: the batch lacks column "${name}"`);
  }
  const { rewards, nextObs, terminateds, truncateds, epsId } = batch.columns;
  const n = batch.count;
  const obsWidth = batch.widths.nextObs as number;
  const outRewards = new Float32Array(n);
  const outNextObs = nextObs.slice();
  const outTerminateds = new Uint8Array(n);
  const outTruncateds = new Uint8Array(n);
  const nStepDiscounts = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let discount = 1;
    let last = i;
    for (let k = 0; k < nStep; k++) {
      last = i + k;
      sum += discount * (rewards[last] as number);
      discount *= gamma;
      const episodeEnded = terminateds[last] === 1 || truncateds[last] === 1;
      const segmentEnds = last + 1 >= n || epsId[last + 1] !== epsId[last];
      if (episodeEnded || segmentEnds) break;
    }
    outRewards[i] = sum;
    nStepDiscounts[i] = discount;
    outTerminateds[i] = terminateds[last] as number;
    outTruncateds[i] = truncateds[last] as number;
    if (last !== i) outNextObs.copyWithin(i * obsWidth, last * obsWidth, (last + 1) * obsWidth);
  }
  return batch.withColumns(
    { rewards: 1, nextObs: obsWidth, terminateds: 1, truncateds: 1, nStepDiscounts: 1 },
    { rewards: outRewards, nextObs: outNextObs, terminateds: outTerminateds, truncateds: outTruncateds, nStepDiscounts },
  ) as unknown as SampleBatch<C & NStepColumns>;
}
