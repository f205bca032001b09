import { ConfigError } from '../../errors.js';
import { choiceParameterLayout, isPositionDependent, type SlateChoiceModelConfig, slateChoiceWeights } from '../../models/slate/choice.js';
import type { SlateObservationLayout } from '../../models/slate/layout.js';
import { randomSlate, type SlateProblem } from '../../models/slate/maximize.js';
import { SlateQNetworkInference, type SlateQNetworkSpec } from '../../models/slate/qNetwork.js';
import { type SlateSelection, selectSlate } from '../../models/slate/select.js';
import type { Rng } from '../../rng.js';
import { scheduledValue } from '../../schedule.js';
import { spaceFromJSON } from '../../spaces/index.js';
import type { ActContext, ActOutput, InferenceModule } from '../module.js';
import type { ColumnDecl, ModuleSpec, ModuleTensors } from '../spec.js';

/**
 * RLlib's `SlateEpsilonGreedy`: ε = `initialEpsilon` for `warmupTimesteps` env steps, then linear
 * to `finalEpsilon` over `epsilonTimesteps`, then constant; a random action is a uniformly drawn
 * ordered slate of distinct candidates.
 */
export interface SlateEpsilonGreedyConfig {
  readonly type: 'SlateEpsilonGreedy';
  readonly initialEpsilon: number;
  readonly warmupTimesteps: number;
  readonly epsilonTimesteps: number;
  readonly finalEpsilon: number;
}

/** The config of a `'slateQ'` module spec. */
export interface SlateQModuleConfig {
  readonly [key: string]: unknown;
  /** Where user, documents and responses sit in the flat observation (from `slateObservationLayout`). */
  readonly layout: SlateObservationLayout;
  readonly hiddens: readonly number[];
  readonly towers: 'perCandidate' | 'shared';
  /** Learn Q(s, ⊥), the value of no click (the SlateQ paper's null item); RLlib and RecSim take it as 0. */
  readonly learnNoClickValue: boolean;
  readonly choiceModel: SlateChoiceModelConfig;
  readonly exploration: SlateEpsilonGreedyConfig;
  /** How the greedy slate is chosen (default `'optimal'`; RecSim's SlateDecompQ also has `'greedy'` and `'topK'`). */
  readonly slateSelection?: SlateSelection;
}

/** The module kind of SlateQ's policy: the best slate under the choice model and item Q values, ε-greedy. */
export const SLATE_Q_KIND = 'slateQ';

/** ε of `SlateEpsilonGreedy` at global timestep `t`. */
export function slateEpsilonAt(exploration: SlateEpsilonGreedyConfig, t: number): number {
  const { initialEpsilon, warmupTimesteps, epsilonTimesteps, finalEpsilon } = exploration;
  return scheduledValue(
    [
      [0, initialEpsilon],
      [warmupTimesteps, initialEpsilon],
      [warmupTimesteps + epsilonTimesteps, finalEpsilon],
    ],
    t,
  );
}

/** The item Q network a `'slateQ'` spec describes; a layout that does not fit the observation space is a `ConfigError`. */
export function slateQNetworkOf(spec: ModuleSpec): SlateQNetworkSpec {
  const config = spec.config as SlateQModuleConfig;
  const obsDim = spaceFromJSON(spec.observationSpace).flatDim;
  if (config.layout?.obsDim !== obsDim) {
    throw new ConfigError(
      `slateQ module: config.layout describes ${config.layout?.obsDim} observation numbers, the observation space has ${obsDim}; build it with slateObservationLayout(observationSpace, actionSpace).`,
    );
  }
  return { layout: config.layout, hiddens: [...config.hiddens], towers: config.towers, noClickTower: config.learnNoClickValue === true };
}

/**
 * Acts with SlateQ: Q(user, doc) for every candidate, click weights from the choice model, and the
 * exact best slate `argmax_A Σ_{i∈A∪⊥} P(i | A)·Q(i)` (`maximizeSlate`; Q(⊥) = 0 unless learned; or the greedy / top-K
 * slate of `slateSelection`); with `explore`, a uniformly
 * random duplicate-free slate with probability ε(timestep). State: `policy` (the Q towers) and, for a
 * learned choice model, `choiceModel`.
 */
export class SlateQModule implements InferenceModule {
  readonly spec: ModuleSpec;
  readonly network: SlateQNetworkInference;
  readonly actionDim: number;
  readonly outputColumns: Readonly<Record<string, ColumnDecl>> = {};
  readonly stateLayout: InferenceModule['stateLayout'];
  private readonly config: SlateQModuleConfig;
  private choiceParams: Float32Array | null;
  private readonly weights: Float64Array;
  private actions = new Float32Array(0);
  private readonly slate: Int32Array;

  /** A module for `spec`, with zero weights until `setState`. */
  constructor(spec: ModuleSpec) {
    this.spec = spec;
    this.config = spec.config as SlateQModuleConfig;
    this.network = new SlateQNetworkInference(slateQNetworkOf(spec));
    const { layout, choiceModel } = this.config;
    this.actionDim = layout.slateSize;
    this.weights = new Float64Array(layout.slateSize * layout.numCandidates);
    this.slate = new Int32Array(layout.slateSize);
    const layoutEntries: Record<string, { length: number; dtype: 'f32' }> = { policy: { length: this.network.layout.size, dtype: 'f32' } };
    if (choiceModel.type === 'learnedLogit') {
      const size = choiceParameterLayout(layout).size;
      layoutEntries.choiceModel = { length: size, dtype: 'f32' };
      this.choiceParams = new Float32Array(size);
    } else {
      this.choiceParams = null;
    }
    this.stateLayout = layoutEntries;
  }

  setState(tensors: ModuleTensors): void {
    this.network.setWeights(tensors.policy as Float32Array);
    if (this.choiceParams !== null) this.choiceParams = new Float32Array(tensors.choiceModel as Float32Array);
  }

  /** The slate problem of row `row`: its choice weights, item values `q` (`C` numbers) and no-click value. */
  slateProblem(obs: Float32Array, row: number, q: ArrayLike<number>, noClickValue = 0): SlateProblem {
    const { layout, choiceModel } = this.config;
    const noClickWeight = slateChoiceWeights(choiceModel, layout, this.choiceParams, obs, row, this.weights);
    return {
      numCandidates: layout.numCandidates,
      slateSize: layout.slateSize,
      weights: this.weights,
      noClickWeight,
      q,
      noClickValue,
      positionDependent: isPositionDependent(choiceModel, layout),
    };
  }

  computeActions(obs: Float32Array, rows: number, context: ActContext): ActOutput {
    const { numCandidates: C, slateSize: S } = this.config.layout;
    if (this.actions.length < rows * S) this.actions = new Float32Array(rows * S);
    const actions = this.actions.subarray(0, rows * S);
    const q = this.network.itemQValues(obs, rows);
    const noClick = this.network.noClickValues(obs, rows);
    const epsilon = context.explore ? slateEpsilonAt(this.config.exploration, context.timestep) : 0;
    const perRow = Array.isArray(context.rngs);
    for (let r = 0; r < rows; r++) {
      if (epsilon > 0) {
        const rng = perRow ? ((context.rngs as readonly Rng[])[r] as Rng) : (context.rngs as Rng);
        if (rng.random() < epsilon) {
          randomSlate(C, S, rng, actions, r * S);
          continue;
        }
      }
      const problem = this.slateProblem(obs, r, q.subarray(r * C, (r + 1) * C), noClick[r]);
      selectSlate(problem, this.config.slateSelection ?? 'optimal', this.slate, 0);
      for (let p = 0; p < S; p++) actions[r * S + p] = this.slate[p] as number;
    }
    return { actions, columns: {} };
  }
}
