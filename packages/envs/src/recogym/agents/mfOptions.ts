import { ConfigError, LearnerError } from '@loomrl/core';
import { type RecoGymAgentBaseOptions, type ResolvedAgentBaseOptions, resolveAgentOptions } from './options.js';

/** Options of RecoGym's matrix-factorisation agents (`organic_mf_square_args` / `bandit_mf_square_args`). */
export interface RecoGymMFSquareOptions extends RecoGymAgentBaseOptions {
  /** Embedding size (RecoGym `embed_dim`). Default 5. */
  readonly embedDim?: number;
  /** Training calls per update (RecoGym `mini_batch_size`). Default 32. */
  readonly miniBatchSize?: number;
  /** RMSprop step size (RecoGym `learning_rate`). Default 0.01. */
  readonly learningRate?: number;
}

/** Validated MF options. */
export interface ResolvedMFSquareOptions extends ResolvedAgentBaseOptions {
  readonly embedDim: number;
  readonly miniBatchSize: number;
  readonly learningRate: number;
}

/** Validates an MF agent's options (RecoGym's defaults). */
export function resolveMFSquareOptions(agent: string, options: RecoGymMFSquareOptions): ResolvedMFSquareOptions {
  const base = resolveAgentOptions(agent, options, ['embedDim', 'miniBatchSize', 'learningRate']);
  const { embedDim = 5, miniBatchSize = 32, learningRate = 0.01 } = options;
  for (const [name, value] of [
    ['embedDim', embedDim],
    ['miniBatchSize', miniBatchSize],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${agent}: ${name} must be an integer >= 1, got ${String(value)}`);
  }
  if (typeof learningRate !== 'number' || !(learningRate > 0) || !Number.isFinite(learningRate)) {
    throw new ConfigError(`${agent}: learningRate must be a finite number > 0, got ${String(learningRate)}`);
  }
  return { ...base, embedDim, miniBatchSize, learningRate };
}

/** Throws when an update left a parameter non-finite (NaN never trains silently). */
export function assertFiniteParameters(agent: string, parameters: Float64Array): void {
  if (!parameters.every(Number.isFinite)) {
    throw new LearnerError(`${agent}: an update made the parameters non-finite; lower learningRate.`);
  }
}
