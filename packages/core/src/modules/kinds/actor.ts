import type { Activation } from '../../config/settings.js';
import { ConfigError } from '../../errors.js';
import { type ActorDistribution, ActorInference, type ActorSpec } from '../../models/actorNetwork.js';
import { softmaxRows } from '../../models/softmax.js';
import type { Rng } from '../../rng.js';
import { Box, Discrete, spaceFromJSON } from '../../spaces/index.js';
import type { ActContext, ActOutput, InferenceModule } from '../module.js';
import type { ColumnDecl, ModuleSpec, ModuleTensors } from '../spec.js';

/** The config of an `'actor'` module spec. */
export interface ActorModuleConfig {
  readonly [key: string]: unknown;
  readonly hiddens: readonly number[];
  readonly activation: Activation;
  /** For Box actions: `'squashedGaussian'` (SAC, CQL) or `'diagGaussian'` (CRR); Discrete actions are always categorical. */
  readonly boxDistribution: 'squashedGaussian' | 'diagGaussian';
  /** Categorical logits are divided by this (RLlib `categorical_distribution_temperature`); default 1. */
  readonly temperature?: number;
}

/** The module kind of a stochastic actor network (SAC's squashed Gaussian, CRR's actor). */
export const ACTOR_KIND = 'actor';

/** The actor network a spec of kind `'actor'` describes; an action space other than Discrete or a float Box is a `ConfigError`. */
export function actorOf(spec: ModuleSpec): ActorSpec {
  const config = spec.config as ActorModuleConfig;
  const actionSpace = spaceFromJSON(spec.actionSpace);
  let distribution: ActorDistribution;
  let actionSize: number;
  if (actionSpace instanceof Discrete) {
    distribution = 'categorical';
    actionSize = actionSpace.n;
  } else if (actionSpace instanceof Box && actionSpace.dtype !== 'int32') {
    distribution = config.boxDistribution;
    actionSize = actionSpace.flatDim;
  } else {
    throw new ConfigError(`An actor network acts in a Discrete or a float Box action space, got ${actionSpace.toString()}.`);
  }
  return {
    obsDim: spaceFromJSON(spec.observationSpace).flatDim,
    distribution,
    actionSize,
    hiddens: [...config.hiddens],
    activation: config.activation,
    temperature: config.temperature ?? 1,
  };
}

/**
 * Acts with a stochastic actor in plain typed-array loops: samples with `explore`, else the mode
 * (argmax / mean / tanh(mean)). Writes `actionLogp`, `actionProb` (a density for Box actions) and
 * `actionDistInputs`; Box actions are in [-1, 1] (squashed) or unbounded (Gaussian) policy space,
 * which the sampler maps to the env's bounds. State: `policy`.
 */
export class ActorModule implements InferenceModule {
  readonly spec: ModuleSpec;
  readonly network: ActorSpec;
  readonly inference: ActorInference;
  readonly actionDim: number;
  readonly outputColumns: Readonly<Record<string, ColumnDecl>>;
  readonly stateLayout: InferenceModule['stateLayout'];
  private out = { actions: new Float32Array(0), logp: new Float32Array(0), prob: new Float32Array(0) };

  /** A module for `spec`, with zero weights until `setState`. */
  constructor(spec: ModuleSpec) {
    this.spec = spec;
    this.network = actorOf(spec);
    this.inference = new ActorInference(this.network);
    this.actionDim = this.network.distribution === 'categorical' ? 1 : this.network.actionSize;
    this.outputColumns = {
      actionLogp: { width: 1, dtype: 'f32' },
      actionProb: { width: 1, dtype: 'f32' },
      actionDistInputs: { width: this.inference.outputs, dtype: 'f32' },
    };
    this.stateLayout = { policy: { length: this.inference.layout.size, dtype: 'f32' } };
  }

  setState(tensors: ModuleTensors): void {
    this.inference.setWeights(tensors.policy as Float32Array);
  }

  computeActions(obs: Float32Array, rows: number, context: ActContext): ActOutput {
    if (this.out.logp.length < rows) {
      this.out = { actions: new Float32Array(rows * this.actionDim), logp: new Float32Array(rows), prob: new Float32Array(rows) };
    }
    const inputs = this.inference.forward(obs, rows);
    const perRow = Array.isArray(context.rngs);
    const { actions, logp, prob } = this.out;
    for (let r = 0; r < rows; r++) {
      const rng = context.explore ? (perRow ? ((context.rngs as readonly Rng[])[r] as Rng) : (context.rngs as Rng)) : null;
      logp[r] = this.inference.act(inputs, r, rng, actions);
      prob[r] = Math.exp(logp[r] as number);
    }
    return {
      actions: actions.subarray(0, rows * this.actionDim),
      columns: { actionLogp: logp.subarray(0, rows), actionProb: prob.subarray(0, rows), actionDistInputs: inputs },
    };
  }

  logLikelihoods(obs: Float32Array, actions: Float32Array, rows: number): Float32Array {
    const inputs = this.inference.forward(obs, rows);
    return Float32Array.from({ length: rows }, (_, r) => this.inference.logLikelihood(inputs, r, actions));
  }

  /** The categorical's probabilities (Discrete actions only). */
  actionProbabilities(obs: Float32Array, rows: number): Float32Array {
    if (this.network.distribution !== 'categorical') throw new RangeError('actionProbabilities: the action space is not Discrete.');
    return softmaxRows(this.inference.forward(obs, rows), rows, this.network.actionSize, this.network.temperature);
  }
}
