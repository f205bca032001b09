import type { SampleBatch, TransitionColumns } from '../sampleBatch.js';

/** The target policy an estimator evaluates: probabilities of logged actions, and (Discrete) of every action. */
export interface TargetPolicy {
  /** π_e(a_t | s_t) for every row of the batch. */
  actionProbs(obs: Float32Array, actions: Float32Array, rows: number): Float64Array;
  /** Discrete action spaces: π_e(· | s) as `rows × numActions`; `null` for other spaces. */
  allActionProbs(obs: Float32Array, rows: number): Float32Array | null;
  readonly numActions: number | null;
}

/** What every estimator reads: the logged rows (with `actionProb` = π_b(a|s)), the target policy and γ. */
export interface EstimatorInput {
  readonly batch: SampleBatch<TransitionColumns & { readonly actionProb: Float32Array }>;
  readonly policy: TargetPolicy;
  readonly gamma: number;
  /** `true` = per-episode estimates (RLlib's default); `false` = every row a one-step episode (bandit / dataset mode). */
  readonly splitByEpisode: boolean;
}

/** One off-policy estimator (RLlib's `OffPolicyEstimator`): metrics with RLlib's names, camelCased. */
export interface OffPolicyEstimator {
  estimate(input: EstimatorInput): Promise<Record<string, number>>;
}
