import type { Rng } from '../rng.js';
import type { Column } from '../sampleBatch.js';
import type { ColumnDecl, ModuleSpec, ModuleTensors } from './spec.js';

/** How one `computeActions` call acts. */
export interface ActContext {
  /** Sample / explore (true) or act greedily (false). */
  readonly explore: boolean;
  /** One stream, or one per row (so each env's actions depend only on its own stream). */
  readonly rngs: Rng | readonly Rng[];
  /** The global env-step count, for exploration schedules (e.g. epsilon decay). */
  readonly timestep: number;
}

/** What `computeActions` writes, one row per observation. Views: read them before the next call. */
export interface ActOutput {
  /** `rows × actionDim` raw actions (indices for discrete spaces, unsquashed values for Box). */
  readonly actions: Float32Array;
  /** Exactly the columns of `outputColumns`, each `rows × width`. */
  readonly columns: Readonly<Record<string, Column>>;
}

/**
 * The acting half of a policy (RLlib's RLModule forward_exploration / forward_inference): a batch
 * of flat observations in, an action column plus the extra columns it declares out, exploration
 * inside. Built from a plain-data `ModuleSpec` by the kind registry in any thread; the learner
 * publishes its state tensors with `setState`.
 */
export interface InferenceModule {
  readonly spec: ModuleSpec;
  /** Numbers per row of the `actions` column. */
  readonly actionDim: number;
  /** The columns `computeActions` writes beside `actions` (e.g. `actionLogp`, `actionDistInputs`, `actionProb`). */
  readonly outputColumns: Readonly<Record<string, ColumnDecl>>;
  /** The names, lengths and dtypes of the state tensors `setState` takes. */
  readonly stateLayout: Readonly<Record<string, { readonly length: number; readonly dtype: 'f32' | 'f64' }>>;
  /** Installs copies of the learner's state tensors. */
  setState(tensors: ModuleTensors): void;
  /** Acts on `rows` flat observations (`rows × obsDim`). */
  computeActions(obs: Float32Array, rows: number, context: ActContext): ActOutput;
  /**
   * Optional, for off-policy estimation: the log-likelihood of each row's action (`rows × actionDim`
   * raw actions, as the sampler writes them) under the module's action distribution — the target
   * policy's π(a|s) (RLlib `compute_log_likelihoods`; a Q network's is softmax(Q)).
   */
  logLikelihoods?(obs: Float32Array, actions: Float32Array, rows: number): Float32Array;
  /** Optional, Discrete actions only: every action's probability, `rows × n` (the direct method's V̂(s) = Σₐ π(a|s) Q̂(s, a)). */
  actionProbabilities?(obs: Float32Array, rows: number): Float32Array;
}
