/**
 * The one place that knows how an algorithm's policy network is laid out, read only through the
 * public API: `algorithm.getWeights()` (one flat array) and the module spec the algorithm acts
 * with (`moduleSpecsInUse`), mapped with `actorCriticNetwork` + `weightLayout` from @loomrl/core.
 * Policies of another module kind (e.g. DQN's Q network) need their own reader here.
 */
import { ACTOR_CRITIC_KIND, type Algorithm, DEFAULT_MODULE_ID, type Space } from '@loomrl/core';
import { actorCriticNetwork, weightLayout } from '@loomrl/core/internal';
import { ExportError } from '../errors.js';

/** A dense layer ready to export: kernel `[inputs, outputs]` row-major. */
export interface ExportDense {
  readonly inputs: number;
  readonly outputs: number;
  readonly activation: 'tanh' | 'relu' | 'swish' | 'linear';
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

/** The acting part of a policy: its dense stack and how its output is read. */
export interface PolicyNetwork {
  readonly layers: readonly ExportDense[];
  /** `categorical`, `multiCategorical` (logits concatenated, `nvec` splits), or `diagGaussian` (mean ‖ log-std, or mean only). */
  readonly distribution: { readonly type: 'categorical' | 'multiCategorical' | 'diagGaussian'; readonly sizes: readonly number[] };
  readonly output: 'logits' | 'mean_logstd' | 'mean';
  /** The free log-std vector (`freeLogStd`), else `null`. */
  readonly logStd: Float32Array | null;
}

/** Reads the policy network (policy trunk + logits head; the value branch is not needed to act) of an actor-critic algorithm. */
export function policyNetworkOf(algorithm: Algorithm, _observationSpace: Space<unknown>, _actionSpace: Space<unknown>): PolicyNetwork {
  const moduleSpec = algorithm.moduleSpecsInUse[DEFAULT_MODULE_ID];
  if (moduleSpec === undefined || moduleSpec.kind !== ACTOR_CRITIC_KIND) {
    throw new ExportError(
      `${algorithm.config.algorithm} acts with a "${moduleSpec?.kind}" module: TF.js export supports actor-critic ("${ACTOR_CRITIC_KIND}") policies only (see export/actorCriticWeights.ts).`,
    );
  }
  const spec = actorCriticNetwork(moduleSpec);
  const layout = weightLayout(spec);
  const weights = algorithm.getWeights();
  if (weights.length !== layout.size) {
    throw new ExportError(
      `${algorithm.config.algorithm}'s weights (${weights.length}) are not the actor-critic MLP of its model settings (${layout.size}): ` +
        'TF.js export supports actor-critic policies only (see export/actorCriticWeights.ts).',
    );
  }
  for (let i = 0; i < weights.length; i++) {
    if (!Number.isFinite(weights[i] as number))
      throw new ExportError(`Weight ${i} is ${weights[i]}: refusing to export a policy with non-finite weights.`);
  }
  const slice = (offset: number, size: number) => weights.slice(offset, offset + size);
  const dense = (layer: (typeof layout.policyTrunk)[number], activation: ExportDense['activation']): ExportDense => ({
    inputs: layer.inputs,
    outputs: layer.outputs,
    activation,
    kernel: slice(layer.kernel.offset, layer.kernel.size),
    bias: slice(layer.bias.offset, layer.bias.size),
  });
  const layers = [...layout.policyTrunk.map((l) => dense(l, spec.activation)), dense(layout.logitsHead, 'linear')];
  const d = spec.dist;
  const sizes = d.type === 'categorical' ? [d.n] : d.type === 'multiCategorical' ? [...d.nvec] : [d.dim];
  const output = d.type === 'diagGaussian' ? (layout.logStd === null ? 'mean_logstd' : 'mean') : 'logits';
  return {
    layers,
    distribution: { type: d.type, sizes },
    output,
    logStd: layout.logStd === null ? null : slice(layout.logStd.offset, layout.logStd.size),
  };
}
