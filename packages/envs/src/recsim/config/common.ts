import { ConfigError, type Env, TimeLimit } from '@loomrl/core';
import { RecSimBanditObservationWrapper } from '../wrappers/banditObservation.js';
import { RecSimDiscreteActionWrapper } from '../wrappers/discreteAction.js';
import { RecSimFlattenObservation } from '../wrappers/flattenObservation.js';
import type { ConfigSchema, ResolvedConfig } from './schema.js';

/** The envConfig keys every stock RecSim env takes: RLlib's wrapper options in camelCase plus LoomRL's additions. */
export const COMMON_RECSIM_SCHEMA = {
  numCandidates: { kind: 'integer', default: 10, min: 1, upstream: 'num_candidates', doc: 'C, documents per candidate set' },
  slateSize: { kind: 'integer', default: 2, min: 1, upstream: 'slate_size', doc: 'S ≤ C, documents per slate' },
  resampleDocuments: {
    kind: 'boolean',
    default: true,
    upstream: 'resample_documents',
    doc: 'draw a fresh candidate set on every reset and step',
  },
  seed: { kind: 'integer', default: 0, min: 0, upstream: 'seed', doc: 'seeds every sampler and the behaviour stream' },
  convertToDiscreteActionSpace: {
    kind: 'boolean',
    default: false,
    upstream: 'convert_to_discrete_action_space',
    doc: 'actions are Discrete(C^S) indices instead of slates',
  },
  wrapForBandits: {
    kind: 'boolean',
    default: false,
    upstream: 'wrap_for_bandits',
    doc: 'observation becomes { item: [C, E] document features }',
  },
  allowDuplicateItems: {
    kind: 'boolean',
    default: true,
    doc: 'LoomRL: false = a slate showing one candidate twice is an ActionError (RecSim, and so the default, accepts it; PPO samples positions independently and draws such slates)',
  },
  flattenObservations: { kind: 'boolean', default: false, doc: 'LoomRL: observation flattened to one Float32Array (MLP-ready)' },
  horizon: { kind: 'optionalInteger', default: undefined, min: 1, doc: 'LoomRL: truncate episodes after this many steps' },
} as const satisfies ConfigSchema;

/** The resolved common keys. */
export type CommonRecSimConfig = ResolvedConfig<typeof COMMON_RECSIM_SCHEMA>;

/** Checks constraints between the common keys (e.g. `slateSize` ≤ `numCandidates`). */
export function checkCommonConstraints(envId: string, config: CommonRecSimConfig): void {
  if (config.slateSize > config.numCandidates) {
    throw new ConfigError(
      `${envId}: envConfig.slateSize (${config.slateSize}) must be <= envConfig.numCandidates (${config.numCandidates}): a slate is drawn from the candidates.`,
    );
  }
  if (config.convertToDiscreteActionSpace && config.numCandidates ** config.slateSize > 2 ** 31 - 1) {
    throw new ConfigError(
      `${envId}: convertToDiscreteActionSpace needs numCandidates^slateSize <= 2^31 - 1, got ${config.numCandidates}^${config.slateSize}.`,
    );
  }
}

/** Applies RLlib's optional wrappers in RLlib's order (horizon, discrete actions, bandit observation), then flattening. */
export function applyRecSimWrappers(env: Env, config: CommonRecSimConfig): Env {
  let out: Env = env;
  if (config.horizon !== undefined) out = new TimeLimit(out, config.horizon);
  if (config.convertToDiscreteActionSpace) out = new RecSimDiscreteActionWrapper(out as Env<unknown, ArrayLike<number>>) as Env;
  if (config.wrapForBandits) out = new RecSimBanditObservationWrapper(out as never) as Env;
  if (config.flattenObservations) out = new RecSimFlattenObservation(out) as Env;
  return out;
}
