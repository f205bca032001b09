import { ACTOR_CRITIC_KIND, type Activation, DEFAULT_MODULE_ID, type EnvSpaces, type ModuleId, type ModuleSpec } from '@loomrl/core';

/** The settings an actor-critic algorithm (PPO, MARWIL, BC) describes its acting module with. */
export interface ActorCriticModuleSettings {
  readonly model: {
    readonly fcnetHiddens: readonly number[];
    readonly fcnetActivation: Activation;
    readonly vfShareLayers: boolean;
    readonly freeLogStd: boolean;
  };
  readonly moduleKind: string | null;
  readonly moduleConfig: Readonly<Record<string, unknown>>;
}

/**
 * The default module's spec for an actor-critic algorithm: the `actorCritic` kind (or the user's
 * `rlModule({ moduleKind })`) with the model's MLP settings, `rlModule({ moduleConfig })` merged over them.
 */
export function actorCriticModuleSpecs(s: ActorCriticModuleSettings, spaces: EnvSpaces): Record<ModuleId, ModuleSpec> {
  const config = {
    hiddens: [...s.model.fcnetHiddens],
    activation: s.model.fcnetActivation,
    vfShareLayers: s.model.vfShareLayers,
    freeLogStd: s.model.freeLogStd,
    ...s.moduleConfig,
  };
  const spec = {
    kind: s.moduleKind ?? ACTOR_CRITIC_KIND,
    observationSpace: spaces.observationSpace.toJSON(),
    actionSpace: spaces.actionSpace.toJSON(),
    config,
  };
  return { [DEFAULT_MODULE_ID]: spec };
}
