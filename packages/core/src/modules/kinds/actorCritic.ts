import type { Activation } from '../../config/settings.js';
import { ActorCriticInference } from '../../models/actorCriticInference.js';
import { softmaxRows } from '../../models/softmax.js';
import { type ActorCriticSpec, distributionFor } from '../../models/spec.js';
import { spaceFromJSON } from '../../spaces/index.js';
import type { ActContext, ActOutput, InferenceModule } from '../module.js';
import type { ColumnDecl, ModuleSpec, ModuleTensors } from '../spec.js';

/** The config of an `'actorCritic'` module spec (RLlib's fully connected actor-critic, `model` settings). */
export interface ActorCriticModuleConfig {
  readonly [key: string]: unknown;
  readonly hiddens: readonly number[];
  readonly activation: Activation;
  readonly vfShareLayers: boolean;
  readonly freeLogStd: boolean;
}

/** The module kind of the actor-critic MLP (PPO's policy). */
export const ACTOR_CRITIC_KIND = 'actorCritic';

/** The actor-critic network a spec of kind `'actorCritic'` describes. */
export function actorCriticNetwork(spec: ModuleSpec): ActorCriticSpec {
  const config = spec.config as ActorCriticModuleConfig;
  return {
    obsDim: spaceFromJSON(spec.observationSpace).flatDim,
    dist: distributionFor(spaceFromJSON(spec.actionSpace)),
    hiddens: [...config.hiddens],
    activation: config.activation,
    vfShareLayers: config.vfShareLayers,
    freeLogStd: config.freeLogStd,
  };
}

/**
 * Acts with an actor-critic MLP in plain typed-array loops: samples from (or takes the mode of) the
 * action distribution and writes `actionLogp` and `actionDistInputs`. State: one flat `policy`
 * tensor in `weightLayout` order. The value branch is the learner's (samplers only act).
 */
export class ActorCriticModule implements InferenceModule {
  readonly spec: ModuleSpec;
  readonly network: ActorCriticSpec;
  readonly inference: ActorCriticInference;
  readonly actionDim: number;
  readonly outputColumns: Readonly<Record<string, ColumnDecl>>;
  readonly stateLayout: InferenceModule['stateLayout'];

  /** A module for `spec`, with zero weights until `setState`. */
  constructor(spec: ModuleSpec) {
    this.spec = spec;
    this.network = actorCriticNetwork(spec);
    this.inference = new ActorCriticInference(this.network);
    this.actionDim = this.inference.actionDim;
    this.outputColumns = { actionLogp: { width: 1, dtype: 'f32' }, actionDistInputs: { width: this.inference.distInputDim, dtype: 'f32' } };
    this.stateLayout = { policy: { length: this.inference.layout.size, dtype: 'f32' } };
  }

  setState(tensors: ModuleTensors): void {
    this.inference.setWeights(tensors.policy as Float32Array);
  }

  computeActions(obs: Float32Array, rows: number, context: ActContext): ActOutput {
    const acted = this.inference.computeActions(obs, rows, context.explore, context.rngs, false);
    return { actions: acted.actions, columns: { actionLogp: acted.logp, actionDistInputs: acted.distInputs } };
  }

  logLikelihoods(obs: Float32Array, actions: Float32Array, rows: number): Float32Array {
    const { distInputs } = this.inference.forward(obs, rows, false);
    const width = this.inference.distInputDim;
    return Float32Array.from({ length: rows }, (_, r) =>
      this.inference.distribution.logp(distInputs, r * width, actions, r * this.actionDim),
    );
  }

  /** The categorical's probabilities (Discrete actions only). */
  actionProbabilities(obs: Float32Array, rows: number): Float32Array {
    if (this.network.dist.type !== 'categorical') throw new RangeError('actionProbabilities: the action space is not Discrete.');
    return softmaxRows(this.inference.forward(obs, rows, false).distInputs, rows, this.network.dist.n);
  }
}
