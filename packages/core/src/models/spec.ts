import type { Activation } from '../config/settings.js';
import { ConfigError } from '../errors.js';
import type { Space } from '../spaces/index.js';
import { Box, Discrete, MultiDiscrete } from '../spaces/index.js';

/** The action distribution family and its size, chosen from the action space (RLlib's defaults). */
export type DistributionSpec =
  | { readonly type: 'categorical'; readonly n: number }
  | { readonly type: 'multiCategorical'; readonly nvec: readonly number[] }
  | { readonly type: 'diagGaussian'; readonly dim: number };

/** Plain-data description of an actor-critic MLP: enough to rebuild it in any thread or backend. */
export interface ActorCriticSpec {
  readonly obsDim: number;
  readonly dist: DistributionSpec;
  readonly hiddens: readonly number[];
  readonly activation: Activation;
  readonly vfShareLayers: boolean;
  readonly freeLogStd: boolean;
}

/** Numbers per row of `actionDistInputs`: logits, or (mean, log-std) pairs for a Gaussian. */
export function distInputDim(dist: DistributionSpec): number {
  if (dist.type === 'categorical') return dist.n;
  if (dist.type === 'multiCategorical') return dist.nvec.reduce((a, b) => a + b, 0);
  return 2 * dist.dim;
}

/** Numbers per row of the `actions` column. */
export function actionDim(dist: DistributionSpec): number {
  if (dist.type === 'categorical') return 1;
  if (dist.type === 'multiCategorical') return dist.nvec.length;
  return dist.dim;
}

/** The distribution for an action space: Discrete → categorical, MultiDiscrete → multi-categorical, Box → diagonal Gaussian. */
export function distributionFor(actionSpace: Space<unknown>): DistributionSpec {
  if (actionSpace instanceof Discrete) return { type: 'categorical', n: actionSpace.n };
  if (actionSpace instanceof MultiDiscrete) return { type: 'multiCategorical', nvec: actionSpace.nvec };
  if (actionSpace instanceof Box) {
    if (actionSpace.dtype === 'int32') {
      throw new ConfigError(`Integer Box action spaces are not supported (got ${actionSpace.toString()}); use Discrete or MultiDiscrete.`);
    }
    return { type: 'diagGaussian', dim: actionSpace.flatDim };
  }
  throw new ConfigError(`Unsupported action space ${actionSpace.toString()}: expected Discrete, MultiDiscrete or a float Box.`);
}
