import {
  AlgorithmConfig,
  type AllSettings,
  ConfigError,
  configFromJSON,
  type FieldSpec,
  type SlateEpsilonGreedyConfig,
  type TrainingSettings,
} from '@loomrl/core';
import {
  arrayOf,
  BASE_FIELDS,
  integerAtLeast,
  isBoolean,
  nonNegativeNumber,
  nullable,
  numberIn,
  oneOf,
  positiveNumber,
  type SlateSelection,
} from '@loomrl/core/internal';
import {
  checkReplayBufferConfig,
  mergeReplayBufferConfig,
  REPLAY_BUFFER_DEFAULTS,
  type ReplayBufferConfig,
  resolveReplayBufferConfig,
} from '../replay/index.js';
import type { SlateQ } from './algorithm.js';

/** SlateQ's training settings (RLlib's `SlateQConfig.training()`, camelCased, plus LoomRL's fixes of its quirks). */
export interface SlateQTrainingSettings extends TrainingSettings {
  /** Hidden layers of each candidate's Q tower on concat(user, doc), ReLU (RLlib `fcnet_hiddens_per_candidate`). */
  fcnetHiddensPerCandidate: number[];
  /**
   * `'perCandidate'`: one tower per candidate position, as RLlib; `'shared'`: one tower for every
   * candidate, the SlateQ paper's and RecSim's Q(s, i) (LoomRL).
   */
  candidateTowers: 'perCandidate' | 'shared';
  /** Env steps between target-network updates (RLlib `target_network_update_freq`). */
  targetNetworkUpdateFreq: number;
  /** Target update τ: 1 = copy (RLlib `tau`). */
  tau: number;
  /** Huber instead of squared TD loss (RLlib `use_huber`), with threshold `huberThreshold` (RLlib `huber_threshold`). */
  useHuber: boolean;
  huberThreshold: number;
  /** Replayed rows per sampled env step; `null` = one update per sample round (RLlib `training_intensity`). */
  trainingIntensity: number | null;
  /** Learning rate of the learned choice model (RLlib `lr_choice_model`). */
  lrChoiceModel: number;
  /** Adam's ε (RLlib's SlateQ uses RMSprop with `rmsprop_epsilon` 1e-5; LoomRL's learners use Adam, with that value). */
  adamEpsilon: number;
  /** Multi-step returns; SlateQ's decomposition bootstraps one step, so only 1 (RLlib `n_step`). */
  nStep: number;
  /** Env steps sampled before the first update (RLlib `num_steps_sampled_before_learning_starts`). */
  numStepsSampledBeforeLearningStarts: number;
  /** The replay buffer (RLlib `replay_buffer_config`), merged key by key into the defaults. */
  replayBufferConfig: Partial<ReplayBufferConfig>;
  /** Save the replay buffer in checkpoints (RLlib `store_buffer_in_checkpoints`). */
  storeBufferInCheckpoints: boolean;
  /**
   * Learn the user's choice model from the observed clicks and use it for acting and for the TD
   * targets (LoomRL). `false` = RLlib's fixed click scores user·doc + 1 with no-click weight 2
   * (RecSim's Interest Evolution model, which needs user and document features of one length).
   * RLlib trained a choice model but never used it.
   */
  useLearnedChoiceModel: boolean;
  /**
   * Learn Q(s, ⊥), the long-term value of the user clicking nothing (the SlateQ paper's null item),
   * with its own tower on the user features, trained by TD on the rows without a click, and count
   * it in every slate's value (LoomRL). `false` = RLlib's and RecSim's SlateQ, where no click is
   * worth 0, so values cannot look past the next click (the session goes on after a no-click).
   */
  learnNoClickValue: boolean;
  /**
   * Compute the target's item Q values on the current observation, RLlib's and RecSim's quirk
   * (recsim issue #26); `false` (default) computes them on the next observation, as the SlateQ
   * target means.
   */
  targetQFromCurrentObs: boolean;
  /**
   * How the greedy policy picks its slate: `'optimal'` (default; the exact best slate, RecSim's
   * `select_slate_optimal`), `'greedy'` (adaptive greedy, `select_slate_greedy`) or `'topK'` (the S
   * largest click weight × Q, `select_slate_topk`) — RecSim SlateDecompQ's `select_slate_fn`.
   */
  slateSelection: SlateSelection;
  /**
   * Which next slate the TD target values: `'optimal'` (default; Q-learning, RecSim's
   * `compute_target_optimal_q`), `'greedy'` or `'topK'` (`compute_target_greedy_q` / `_topk_q`),
   * or `'sarsa'`: the slate the policy actually showed next (`compute_target_sarsa`); a row whose
   * next slate is not in its sample (the last row of a fragment cut mid-episode) uses `'optimal'`.
   */
  targetSlateSelection: SlateTargetSelection;
}

/** The next slates a SlateQ TD target can value: a slate selection, or `'sarsa'` (the one shown next). */
export type SlateTargetSelection = SlateSelection | 'sarsa';

/** RLlib's SlateEpsilonGreedy defaults for SlateQ. */
export const SLATEQ_EXPLORATION_DEFAULTS: SlateEpsilonGreedyConfig = {
  type: 'SlateEpsilonGreedy',
  initialEpsilon: 1.0,
  warmupTimesteps: 20_000,
  epsilonTimesteps: 250_000,
  finalEpsilon: 0.01,
};

/** SlateQ's defaults: RLlib's (last in-tree `SlateQConfig`), written once. */
export const SLATEQ_DEFAULTS: Partial<AllSettings<SlateQTrainingSettings>> = {
  fcnetHiddensPerCandidate: [256, 32],
  candidateTowers: 'perCandidate',
  targetNetworkUpdateFreq: 3200,
  tau: 1.0,
  useHuber: false,
  huberThreshold: 1.0,
  trainingIntensity: null,
  lr: 0.00025,
  lrChoiceModel: 1e-3,
  adamEpsilon: 1e-5,
  gradClip: null,
  nStep: 1,
  gamma: 0.99,
  replayBufferConfig: {
    ...REPLAY_BUFFER_DEFAULTS,
    type: 'MultiAgentPrioritizedReplayBuffer',
    capacity: 100_000,
    prioritizedReplayAlpha: 0.6,
    prioritizedReplayBeta: 0.4,
    prioritizedReplayEps: 1e-6,
  },
  storeBufferInCheckpoints: false,
  numStepsSampledBeforeLearningStarts: 20_000,
  explorationConfig: { ...SLATEQ_EXPLORATION_DEFAULTS },
  evaluationConfig: { explore: false },
  rolloutFragmentLength: 4,
  trainBatchSize: 32,
  minSampleTimestepsPerIteration: 1000,
  minTimeSPerIteration: 1,
  useLearnedChoiceModel: false,
  learnNoClickValue: true,
  targetQFromCurrentObs: false,
  slateSelection: 'optimal',
  targetSlateSelection: 'optimal',
};

const SLATEQ_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...BASE_FIELDS,
  fcnetHiddensPerCandidate: { group: 'training', check: arrayOf(integerAtLeast(1), 'layer sizes (integers >= 1)') },
  candidateTowers: { group: 'training', check: oneOf('perCandidate', 'shared') },
  targetNetworkUpdateFreq: { group: 'training', check: integerAtLeast(1) },
  tau: { group: 'training', check: (v) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : 'a number in (0, 1]') },
  useHuber: { group: 'training', check: isBoolean },
  huberThreshold: { group: 'training', check: positiveNumber },
  trainingIntensity: { group: 'training', check: nullable(positiveNumber) },
  lrChoiceModel: { group: 'training', check: positiveNumber },
  adamEpsilon: { group: 'training', check: positiveNumber },
  nStep: { group: 'training', check: (v) => (v === 1 ? undefined : '1 (SlateQ bootstraps from the next observation only)') },
  numStepsSampledBeforeLearningStarts: { group: 'training', check: integerAtLeast(0) },
  replayBufferConfig: {
    group: 'training',
    check: checkReplayBufferConfig,
    merge: (current, update) => mergeReplayBufferConfig(current as ReplayBufferConfig, update as Partial<ReplayBufferConfig>),
  },
  storeBufferInCheckpoints: { group: 'training', check: isBoolean },
  useLearnedChoiceModel: { group: 'training', check: isBoolean },
  learnNoClickValue: { group: 'training', check: isBoolean },
  targetQFromCurrentObs: { group: 'training', check: isBoolean },
  slateSelection: { group: 'training', check: oneOf('optimal', 'greedy', 'topK') },
  targetSlateSelection: { group: 'training', check: oneOf('optimal', 'greedy', 'topK', 'sarsa') },
};

/**
 * Configuration of SlateQ (RLlib's `SlateQConfig`): slate recommendation on RecSim observations by
 * decomposing a slate's value into item values weighted by the user's click probabilities.
 * Exploration: `exploration({ explorationConfig: { type: 'SlateEpsilonGreedy', warmupTimesteps, epsilonTimesteps, finalEpsilon } })`.
 * Needs RecSim's structured observation `{ user, doc, response }` and slate (MultiDiscrete) actions.
 */
export class SlateQConfig extends AlgorithmConfig<SlateQTrainingSettings> {
  /** A config with SlateQ's defaults. */
  constructor() {
    super('SlateQ', SLATEQ_DEFAULTS);
  }

  protected override fields(): Readonly<Record<string, FieldSpec>> {
    return SLATEQ_FIELDS;
  }

  /** `rolloutFragmentLength: 'auto'` = 4 steps per env per sample round (RLlib's default). */
  override autoRolloutFragmentLength(): number {
    return 4;
  }

  /** The resolved SlateEpsilonGreedy settings (defaults filled in); a `ConfigError` names a bad one. */
  slateEpsilonGreedy(): SlateEpsilonGreedyConfig {
    const raw = { ...SLATEQ_EXPLORATION_DEFAULTS, ...this.settings.explorationConfig } as Record<string, unknown>;
    const where = 'exploration({ explorationConfig';
    if (raw.type !== 'SlateEpsilonGreedy') {
      throw new ConfigError(`${where}: { type } }): SlateQ explores with "SlateEpsilonGreedy", got ${JSON.stringify(raw.type)}.`);
    }
    const unknown = Object.keys(raw).filter((k) => !(k in SLATEQ_EXPLORATION_DEFAULTS));
    if (unknown.length > 0) {
      throw new ConfigError(
        `${where} }): unknown SlateEpsilonGreedy option "${unknown[0]}". Valid: ${Object.keys(SLATEQ_EXPLORATION_DEFAULTS).join(', ')}.`,
      );
    }
    for (const key of ['initialEpsilon', 'finalEpsilon'] as const) {
      if (numberIn(0, 1)(raw[key]) !== undefined) {
        throw new ConfigError(`${where}: { ${key} } }): expected a number in [0, 1], got ${JSON.stringify(raw[key])}.`);
      }
    }
    for (const key of ['warmupTimesteps', 'epsilonTimesteps'] as const) {
      if (nonNegativeNumber(raw[key]) !== undefined) {
        throw new ConfigError(`${where}: { ${key} } }): expected a number >= 0, got ${JSON.stringify(raw[key])}.`);
      }
    }
    return raw as unknown as SlateEpsilonGreedyConfig;
  }

  /** Adds SlateQ's checks to the base ones. */
  override validate(): void {
    super.validate();
    this.slateEpsilonGreedy();
    resolveReplayBufferConfig(this.settings.replayBufferConfig, 'training({ replayBufferConfig })');
  }

  /** Rebuilds a SlateQ config from `toJSON()` output. */
  static fromJSON(json: Readonly<Record<string, unknown>>): SlateQConfig {
    return configFromJSON({ ...json, algorithm: 'SlateQ' }) as SlateQConfig;
  }

  /** Validates and builds a SlateQ (synchronous; workers start in the background). */
  override build(): SlateQ {
    return super.build() as SlateQ;
  }
}
