import { ConfigError } from '../../errors.js';
import { LinearArms } from '../../models/linearBandits/linearArms.js';
import { ParametricLinearArms } from '../../models/linearBandits/parametricLinearArms.js';
import type { Rng } from '../../rng.js';
import { Box, Dict, Discrete, type Space, spaceFromJSON } from '../../spaces/index.js';
import type { ActContext, ActOutput, InferenceModule } from '../module.js';
import type { ColumnDecl, ModuleSpec, ModuleTensors } from '../spec.js';

/** The config of a `'linearBandit'` module spec (RLlib's LinUCB / LinTS models). */
export interface LinearBanditModuleConfig {
  readonly [key: string]: unknown;
  /** `'UpperConfidenceBound'` (LinUCB) or `'ThompsonSampling'` (LinTS) while exploring; greedy θ̂ᵀx otherwise. */
  readonly exploration: 'UpperConfidenceBound' | 'ThompsonSampling';
  /** Ridge λ (A starts as λI). */
  readonly lambda: number;
  /** Exploration scale α. */
  readonly alpha: number;
}

/** The module kind of the linear contextual bandits (LinUCB, LinTS). */
export const LINEAR_BANDIT_KIND = 'linearBandit';

/** How a bandit reads its observations: per-arm contexts, or per-candidate item features (RecSim's bandit observation). */
export type BanditShape =
  | { readonly model: 'perArm'; readonly numArms: number; readonly featureDim: number }
  | { readonly model: 'parametric'; readonly numCandidates: number; readonly featureDim: number };

/**
 * The bandit model for the spaces (RLlib's choice): a Box observation is one context scored by a
 * ridge regression per arm of the Discrete action space; a Dict observation `{ item: Box[C, E] }`
 * (RecSim's `wrapForBandits`) is C candidates' features scored by one shared regression, the action
 * being the candidate index. Anything else is a `ConfigError` naming the space.
 */
export function banditShape(observationSpace: Space<unknown>, actionSpace: Space<unknown>): BanditShape {
  if (!(actionSpace instanceof Discrete)) {
    throw new ConfigError(`A linear bandit needs a Discrete action space (one arm per action), got ${actionSpace.toString()}.`);
  }
  if (observationSpace instanceof Box) return { model: 'perArm', numArms: actionSpace.n, featureDim: observationSpace.flatDim };
  if (observationSpace instanceof Dict) {
    const keys = Object.keys(observationSpace.spaces);
    const item = observationSpace.spaces.item;
    if (keys.length === 1 && item instanceof Box && item.shape.length === 2) {
      const [numCandidates = 0, featureDim = 0] = item.shape;
      if (numCandidates > actionSpace.n) {
        throw new ConfigError(
          `A parametric bandit scores ${numCandidates} candidates but the action space ${actionSpace.toString()} has fewer actions.`,
        );
      }
      return { model: 'parametric', numCandidates, featureDim };
    }
  }
  throw new ConfigError(
    `A linear bandit needs a Box observation (a context) or { item: Box[candidates, features] } (RecSim with wrapForBandits), got ${observationSpace.toString()}.`,
  );
}

/** The regression behind a bandit module or learner. */
export type BanditModel = LinearArms | ParametricLinearArms;

/** A fresh regression (every arm at its prior) for `shape`. */
export function createBanditModel(shape: BanditShape, config: Pick<LinearBanditModuleConfig, 'lambda' | 'alpha'>): BanditModel {
  return shape.model === 'perArm'
    ? new LinearArms({ numArms: shape.numArms, featureDim: shape.featureDim, lambda: config.lambda, alpha: config.alpha })
    : new ParametricLinearArms({
        numCandidates: shape.numCandidates,
        featureDim: shape.featureDim,
        lambda: config.lambda,
        alpha: config.alpha,
      });
}

/** The regression's state tensors as a module syncs them. */
export function banditTensors(model: BanditModel): ModuleTensors {
  const { precision, covariance, b, theta } = model.exportState();
  return { precision, covariance, b, theta };
}

/**
 * Acts with a linear contextual bandit: the UCB arm (θ̂ᵀx + α√(xᵀA⁻¹x)) or a Thompson draw
 * θ̃ ~ N(θ̂, α²A⁻¹) per row and arm (each env's own stream) while exploring, the greedy θ̂ᵀx arm
 * otherwise. State: `precision`, `covariance`, `b`, `theta` (float64).
 */
export class LinearBanditModule implements InferenceModule {
  readonly spec: ModuleSpec;
  readonly actionDim = 1;
  readonly outputColumns: Readonly<Record<string, ColumnDecl>> = {};
  readonly stateLayout: InferenceModule['stateLayout'];
  private readonly model: BanditModel;
  private readonly shape: BanditShape;
  private readonly exploration: LinearBanditModuleConfig['exploration'];
  private actions = new Float32Array(0);

  /** A module for `spec`, every arm at its prior until `setState`. */
  constructor(spec: ModuleSpec) {
    this.spec = spec;
    const config = spec.config as LinearBanditModuleConfig;
    this.shape = banditShape(spaceFromJSON(spec.observationSpace), spaceFromJSON(spec.actionSpace));
    this.model = createBanditModel(this.shape, config);
    this.exploration = config.exploration;
    const layout: Record<string, { length: number; dtype: 'f64' }> = {};
    for (const [name, tensor] of Object.entries(banditTensors(this.model))) layout[name] = { length: tensor.length, dtype: 'f64' };
    this.stateLayout = layout;
  }

  setState(tensors: ModuleTensors): void {
    const { numArms, featureDim } = this.model.exportState();
    this.model.importState({ numArms, featureDim, ...(tensors as Record<'precision' | 'covariance' | 'b' | 'theta', Float64Array>) });
  }

  computeActions(obs: Float32Array, rows: number, context: ActContext): ActOutput {
    if (this.actions.length < rows) this.actions = new Float32Array(rows);
    const out = this.actions.subarray(0, rows);
    if (!context.explore) this.model.selectGreedy(obs, rows, out);
    else if (this.exploration === 'UpperConfidenceBound') this.model.selectUcb(obs, rows, out);
    else if (!Array.isArray(context.rngs)) this.model.selectThompson(obs, rows, context.rngs as Rng, out);
    else {
      const width = obs.length / Math.max(1, rows);
      for (let r = 0; r < rows; r++) {
        this.model.selectThompson(obs.subarray(r * width, (r + 1) * width), 1, context.rngs[r] as Rng, out.subarray(r, r + 1));
      }
    }
    return { actions: out, columns: {} };
  }
}
