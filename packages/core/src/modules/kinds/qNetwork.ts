import type { Activation } from '../../config/settings.js';
import { ConfigError } from '../../errors.js';
import { QNetworkInference, type QNetworkSpec } from '../../models/qNetwork.js';
import { logProbsOfActions, softmaxRows } from '../../models/softmax.js';
import type { Rng } from '../../rng.js';
import { scheduledValue } from '../../schedule.js';
import { Discrete, spaceFromJSON } from '../../spaces/index.js';
import type { ActContext, ActOutput, InferenceModule } from '../module.js';
import type { ColumnDecl, ModuleSpec, ModuleTensors } from '../spec.js';

/** Epsilon-greedy exploration (RLlib's `EpsilonGreedy`): ε decays linearly from initial to final over `epsilonTimesteps`. */
export interface EpsilonGreedyConfig {
  readonly type: 'EpsilonGreedy';
  readonly initialEpsilon: number;
  readonly finalEpsilon: number;
  readonly epsilonTimesteps: number;
}

/** The config of a `'qNetwork'` module spec. */
export interface QNetworkModuleConfig {
  readonly [key: string]: unknown;
  readonly hiddens: readonly number[];
  readonly activation: Activation;
  readonly headHiddens: readonly number[];
  readonly dueling: boolean;
  readonly exploration: EpsilonGreedyConfig;
}

/** The module kind of a Q network acting epsilon-greedily (DQN's policy). */
export const Q_NETWORK_KIND = 'qNetwork';

/** The Q network a spec of kind `'qNetwork'` describes; a non-Discrete action space is a `ConfigError`. */
export function qNetworkOf(spec: ModuleSpec): QNetworkSpec {
  const config = spec.config as QNetworkModuleConfig;
  const actionSpace = spaceFromJSON(spec.actionSpace);
  if (!(actionSpace instanceof Discrete)) {
    throw new ConfigError(`A Q network needs a Discrete action space (one Q value per action), got ${actionSpace.toString()}.`);
  }
  return {
    obsDim: spaceFromJSON(spec.observationSpace).flatDim,
    numActions: actionSpace.n,
    hiddens: [...config.hiddens],
    activation: config.activation,
    headHiddens: [...config.headHiddens],
    dueling: config.dueling,
  };
}

/** ε at global timestep `t`. */
export function epsilonAt(exploration: EpsilonGreedyConfig, t: number): number {
  return scheduledValue(
    [
      [0, exploration.initialEpsilon],
      [exploration.epsilonTimesteps, exploration.finalEpsilon],
    ],
    t,
  );
}

/**
 * Acts with a Q network: argmax Q, or with `explore` a uniformly random action with probability
 * ε(timestep). Writes `actionProb` and `actionLogp`, the behaviour probability of the chosen
 * action (ε/n, plus 1−ε for the greedy one), which off-policy estimators need. State: `policy`.
 */
export class QNetworkModule implements InferenceModule {
  readonly spec: ModuleSpec;
  readonly network: QNetworkInference;
  readonly actionDim = 1;
  readonly outputColumns: Readonly<Record<string, ColumnDecl>> = {
    actionProb: { width: 1, dtype: 'f32' },
    actionLogp: { width: 1, dtype: 'f32' },
  };
  readonly stateLayout: InferenceModule['stateLayout'];
  private readonly exploration: EpsilonGreedyConfig;
  private out = { actions: new Float32Array(0), prob: new Float32Array(0), logp: new Float32Array(0) };

  /** A module for `spec`, with zero weights until `setState`. */
  constructor(spec: ModuleSpec) {
    this.spec = spec;
    this.network = new QNetworkInference(qNetworkOf(spec));
    this.exploration = (spec.config as QNetworkModuleConfig).exploration;
    this.stateLayout = { policy: { length: this.network.layout.size, dtype: 'f32' } };
  }

  setState(tensors: ModuleTensors): void {
    this.network.setWeights(tensors.policy as Float32Array);
  }

  computeActions(obs: Float32Array, rows: number, context: ActContext): ActOutput {
    if (this.out.actions.length < rows) {
      this.out = { actions: new Float32Array(rows), prob: new Float32Array(rows), logp: new Float32Array(rows) };
    }
    const n = this.network.spec.numActions;
    const q = this.network.qValues(obs, rows);
    const epsilon = context.explore ? epsilonAt(this.exploration, context.timestep) : 0;
    const perRow = Array.isArray(context.rngs);
    const { actions, prob, logp } = this.out;
    for (let r = 0; r < rows; r++) {
      let greedy = 0;
      for (let a = 1; a < n; a++) if ((q[r * n + a] as number) > (q[r * n + greedy] as number)) greedy = a;
      let action = greedy;
      if (epsilon > 0) {
        const rng = perRow ? ((context.rngs as readonly Rng[])[r] as Rng) : (context.rngs as Rng);
        if (rng.random() < epsilon) action = rng.int(n);
      }
      const p = epsilon / n + (action === greedy ? 1 - epsilon : 0);
      actions[r] = action;
      prob[r] = p;
      logp[r] = Math.log(p);
    }
    return { actions: actions.subarray(0, rows), columns: { actionProb: prob.subarray(0, rows), actionLogp: logp.subarray(0, rows) } };
  }

  /** softmax(Q(s, ·)): the target policy off-policy estimators evaluate (RLlib's DQN categorical over Q values, temperature 1). */
  actionProbabilities(obs: Float32Array, rows: number): Float32Array {
    return softmaxRows(this.network.qValues(obs, rows), rows, this.network.spec.numActions);
  }

  logLikelihoods(obs: Float32Array, actions: Float32Array, rows: number): Float32Array {
    return logProbsOfActions(this.actionProbabilities(obs, rows), actions, rows, this.network.spec.numActions);
  }
}
