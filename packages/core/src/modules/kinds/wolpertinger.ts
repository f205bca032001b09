import { ConfigError } from '../../errors.js';
import { WolpertingerInference, type WolpertingerSpec } from '../../models/wolpertinger.js';
import type { Rng } from '../../rng.js';
import { Discrete, MultiDiscrete, spaceFromJSON } from '../../spaces/index.js';
import type { ActContext, ActOutput, InferenceModule } from '../module.js';
import type { ColumnDecl, ModuleSpec, ModuleTensors } from '../spec.js';
import { type EpsilonGreedyConfig, epsilonAt } from './qNetwork.js';

/** The config of a `'wolpertinger'` module spec. */
export interface WolpertingerModuleConfig {
  readonly [key: string]: unknown;
  /** Where the state features sit in each flat observation, and how many. */
  readonly stateOffset: number;
  readonly stateDim: number;
  readonly embeddingDim: number;
  readonly actorHiddens: readonly number[];
  readonly criticHiddens: readonly number[];
  /** The critic chooses among the k items nearest the proto-action. */
  readonly k: number;
  /** ε-random items while exploring (RLlib's `EpsilonGreedy` schedule). */
  readonly exploration: EpsilonGreedyConfig;
}

/** The module kind of Wolpertinger's policy: actor → proto-action → k nearest items → critic's argmax, ε-random. */
export const WOLPERTINGER_KIND = 'wolpertinger';

/**
 * The actor-critic a `'wolpertinger'` spec describes: the items are the actions of a `Discrete(N)`
 * space or the candidates of a one-document slate `MultiDiscrete([N])`. Another action space, a
 * state outside the observation, or k outside [1, N] is a `ConfigError` naming it.
 */
export function wolpertingerSpecOf(spec: ModuleSpec): WolpertingerSpec {
  const config = spec.config as WolpertingerModuleConfig;
  const actionSpace = spaceFromJSON(spec.actionSpace);
  const numItems =
    actionSpace instanceof Discrete
      ? actionSpace.n
      : actionSpace instanceof MultiDiscrete && actionSpace.nvec.length === 1
        ? actionSpace.nvec[0]
        : undefined;
  if (numItems === undefined) {
    throw new ConfigError(
      `Wolpertinger recommends one item: it needs a Discrete(N) action space or a slate of one, MultiDiscrete([N]); got ${actionSpace.toString()}.`,
    );
  }
  if (!Number.isInteger(config.k) || config.k < 1 || config.k > numItems) {
    throw new ConfigError(
      `Wolpertinger's k (nearest items the critic compares) must be an integer in [1, ${numItems}] (the catalogue), got ${config.k}.`,
    );
  }
  const obsDim = spaceFromJSON(spec.observationSpace).flatDim;
  if (config.stateOffset < 0 || config.stateDim < 1 || config.stateOffset + config.stateDim > obsDim) {
    throw new ConfigError(
      `Wolpertinger's state features [${config.stateOffset}, ${config.stateOffset + config.stateDim}) do not fit the ${obsDim} observation numbers.`,
    );
  }
  return {
    obsDim,
    stateOffset: config.stateOffset,
    stateDim: config.stateDim,
    numItems,
    embeddingDim: config.embeddingDim,
    actorHiddens: [...config.actorHiddens],
    criticHiddens: [...config.criticHiddens],
  };
}

/**
 * Acts like Wolpertinger (Dulac-Arnold et al. 2015): the actor's normalised proto-action, its k
 * nearest (normalised) item embeddings, and the critic's best of those; with `explore`, a uniformly
 * random item with probability ε(timestep). State: `actor`, `critic`, `embeddings` (raw, N × E).
 */
export class WolpertingerModule implements InferenceModule {
  readonly spec: ModuleSpec;
  readonly model: WolpertingerInference;
  readonly actionDim = 1;
  readonly outputColumns: Readonly<Record<string, ColumnDecl>> = {};
  readonly stateLayout: InferenceModule['stateLayout'];
  private readonly config: WolpertingerModuleConfig;
  private actions = new Float32Array(0);

  /** A module for `spec`, with zero weights until `setState`. */
  constructor(spec: ModuleSpec) {
    this.spec = spec;
    this.config = spec.config as WolpertingerModuleConfig;
    const model = wolpertingerSpecOf(spec);
    this.model = new WolpertingerInference(model);
    this.stateLayout = {
      actor: { length: this.model.actorLayout.size, dtype: 'f32' },
      critic: { length: this.model.criticLayout.size, dtype: 'f32' },
      embeddings: { length: model.numItems * model.embeddingDim, dtype: 'f32' },
    };
  }

  setState(tensors: ModuleTensors): void {
    this.model.setWeights(tensors.actor as Float32Array, tensors.critic as Float32Array, tensors.embeddings as Float32Array);
  }

  computeActions(obs: Float32Array, rows: number, context: ActContext): ActOutput {
    if (this.actions.length < rows) this.actions = new Float32Array(rows);
    const actions = this.actions.subarray(0, rows);
    const epsilon = context.explore ? epsilonAt(this.config.exploration, context.timestep) : 0;
    const perRow = Array.isArray(context.rngs);
    for (let r = 0; r < rows; r++) {
      if (epsilon > 0) {
        const rng = perRow ? ((context.rngs as readonly Rng[])[r] as Rng) : (context.rngs as Rng);
        if (rng.random() < epsilon) {
          actions[r] = rng.int(this.model.spec.numItems);
          continue;
        }
      }
      actions[r] = this.model.act(obs, r, this.config.k);
    }
    return { actions, columns: {} };
  }
}
