import type { AdvantageColumns, SampleBatch, ValueColumns } from '@loomrl/core';

/** Options of advantage estimation (RLlib's `compute_advantages`). */
export interface AdvantageOptions {
  readonly gamma: number;
  /** GAE λ (RLlib `lambda`). */
  readonly lambda: number;
  /** Generalized advantage estimation (RLlib `use_gae`); off = discounted returns minus V(s) (or plain returns without a critic). */
  readonly useGae: boolean;
  /** Subtract V(s) (RLlib `use_critic`). */
  readonly useCritic: boolean;
}

/**
 * The advantage connector: widens a batch with value estimates by `advantages` and `valueTargets`.
 * Rows of one episode segment are contiguous; a segment ends where `epsId` changes or the batch
 * ends. Its last row bootstraps from `bootstrapValues` unless it terminated:
 * δₜ = rₜ + γ·V(sₜ₊₁) − V(sₜ), Aₜ = Σₖ (γλ)ᵏ δₜ₊ₖ, targets = A + V (with GAE);
 * returns Gₜ = rₜ + γ·Gₜ₊₁ seeded by the bootstrap value, A = G − V, targets = G (without).
 */
export function computeAdvantages(batch: SampleBatch<ValueColumns>, options: AdvantageOptions): SampleBatch<AdvantageColumns> {
  const { rewards, vfPreds, bootstrapValues, terminateds, epsId } = batch.columns;
  const n = batch.count;
  const advantages = new Float32Array(n);
  const valueTargets = new Float32Array(n);
  const { gamma, lambda } = options;
  let nextValue = 0;
  let runningAdvantage = 0;
  let runningReturn = 0;
  for (let i = n - 1; i >= 0; i--) {
    const segmentEnd = i === n - 1 || epsId[i + 1] !== epsId[i];
    const value = options.useCritic ? (vfPreds[i] as number) : 0;
    const reward = rewards[i] as number;
    if (segmentEnd) {
      nextValue = terminateds[i] === 1 ? 0 : (bootstrapValues[i] as number);
      runningAdvantage = 0;
      runningReturn = nextValue;
    }
    if (options.useGae) {
      const delta = reward + gamma * nextValue - value;
      runningAdvantage = delta + gamma * lambda * runningAdvantage;
      advantages[i] = runningAdvantage;
      valueTargets[i] = runningAdvantage + value;
    } else {
      runningReturn = reward + gamma * runningReturn;
      advantages[i] = runningReturn - value;
      valueTargets[i] = runningReturn;
    }
    nextValue = value;
  }
  return batch.withColumns({ advantages: 1, valueTargets: 1 }, { advantages, valueTargets });
}

/** Shifts and scales `values` in place to mean 0 and standard deviation 1 (RLlib's `standardize_fields`). */
export function standardize(values: Float32Array): Float32Array {
  const n = values.length;
  if (n === 0) return values;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += ((values[i] as number) - mean) ** 2;
  const std = Math.sqrt(variance / n);
  for (let i = 0; i < n; i++) values[i] = ((values[i] as number) - mean) / Math.max(std, 1e-4);
  return values;
}
