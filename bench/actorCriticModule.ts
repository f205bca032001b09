/**
 * The benches' policy: a tanh actor-critic module spec for the env's spaces and its seeded initial
 * weights, as PPO would describe them to its workers.
 */
import { ACTOR_CRITIC_KIND, createRng, DEFAULT_MODULE_ID, type ModuleSpec, type ModuleStateMessage, type Space } from '@loomrl/core';
import { actorCriticNetwork, initialWeights, weightLayout } from '@loomrl/core/internal';

/** The `'default'` actor-critic spec for `spaces` with hidden layers `hiddens`. */
export function actorCriticSpecs(
  spaces: { observationSpace: Space<unknown>; actionSpace: Space<unknown> },
  hiddens: number[] = [64, 64],
): Record<string, ModuleSpec> {
  const config = { hiddens, activation: 'tanh', vfShareLayers: false, freeLogStd: false };
  return {
    [DEFAULT_MODULE_ID]: {
      kind: ACTOR_CRITIC_KIND,
      observationSpace: spaces.observationSpace.toJSON(),
      actionSpace: spaces.actionSpace.toJSON(),
      config,
    },
  };
}

/** Seeded initial weights for `specs`, as a state message of `version`. */
export function initialState(specs: Record<string, ModuleSpec>, version = 0): ModuleStateMessage {
  const policy = initialWeights(weightLayout(actorCriticNetwork(specs[DEFAULT_MODULE_ID] as ModuleSpec)), createRng(1));
  return { version, timestep: 0, modules: { [DEFAULT_MODULE_ID]: { policy } } };
}
