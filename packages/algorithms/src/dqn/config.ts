import {
  AlgorithmConfig,
  type AllSettings,
  ConfigError,
  configFromJSON,
  type EpsilonGreedyConfig,
  type FieldSpec,
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
} from '@loomrl/core/internal';
import {
  checkReplayBufferConfig,
  mergeReplayBufferConfig,
  REPLAY_BUFFER_DEFAULTS,
  type ReplayBufferConfig,
  resolveReplayBufferConfig,
} from '../replay/index.js';
import type { DQN } from './algorithm.js';

/** DQN's training settings (RLlib's `DQNConfig.training()`, camelCased). */
export interface DQNTrainingSettings extends TrainingSettings {
  /** Env steps between target-network updates (RLlib `target_network_update_freq`). */
  targetNetworkUpdateFreq: number;
  /** Target update τ: 1 = copy, < 1 = soft update target ← τ·online + (1−τ)·target (RLlib `tau`). */
  tau: number;
  /** Env steps sampled before the first update (RLlib `num_steps_sampled_before_learning_starts`). */
  numStepsSampledBeforeLearningStarts: number;
  /** The replay buffer (RLlib `replay_buffer_config`), merged key by key into the defaults. */
  replayBufferConfig: Partial<ReplayBufferConfig>;
  /** Save the replay buffer in checkpoints, so a restored run continues bit for bit (RLlib `store_buffer_in_checkpoints`). */
  storeBufferInCheckpoints: boolean;
  /** Replayed rows per sampled env step; `null` = RLlib's native ratio, one update per sample round (RLlib `training_intensity`). */
  trainingIntensity: number | null;
  /** Double Q-learning: the online net picks the next action, the target net values it (RLlib `double_q`). */
  doubleQ: boolean;
  /** Separate value and advantage streams (RLlib `dueling`). */
  dueling: boolean;
  /** Hidden layers of the Q head (each stream when dueling), ReLU (RLlib `hiddens`). */
  hiddens: number[];
  /** Multi-step returns over up to n steps (RLlib `n_step`). */
  nStep: number;
  /** `'huber'` (δ = 1) or `'mse'` (½·TD²) (RLlib `td_error_loss_fn`). */
  tdErrorLossFn: 'huber' | 'mse';
  /** Adam's ε (RLlib `adam_epsilon`). */
  adamEpsilon: number;
}

/** RLlib's epsilon-greedy defaults for DQN: 1.0 → 0.02 over 10 000 env steps. */
export const DQN_EXPLORATION_DEFAULTS: EpsilonGreedyConfig = {
  type: 'EpsilonGreedy',
  initialEpsilon: 1.0,
  finalEpsilon: 0.02,
  epsilonTimesteps: 10_000,
};

/** DQN's defaults: RLlib's, written once. */
export const DQN_DEFAULTS: Partial<AllSettings<DQNTrainingSettings>> = {
  lr: 5e-4,
  trainBatchSize: 32,
  rolloutFragmentLength: 'auto',
  gradClip: 40,
  targetNetworkUpdateFreq: 500,
  tau: 1.0,
  numStepsSampledBeforeLearningStarts: 1000,
  replayBufferConfig: REPLAY_BUFFER_DEFAULTS,
  storeBufferInCheckpoints: false,
  trainingIntensity: null,
  doubleQ: true,
  dueling: true,
  hiddens: [256],
  nStep: 1,
  tdErrorLossFn: 'huber',
  adamEpsilon: 1e-8,
  explorationConfig: { ...DQN_EXPLORATION_DEFAULTS },
  evaluationConfig: { explore: false },
  minSampleTimestepsPerIteration: 1000,
  model: { fcnetHiddens: [256, 256], fcnetActivation: 'tanh' },
};

const DQN_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...BASE_FIELDS,
  targetNetworkUpdateFreq: { group: 'training', check: integerAtLeast(1) },
  tau: { group: 'training', check: (v) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : 'a number in (0, 1]') },
  numStepsSampledBeforeLearningStarts: { group: 'training', check: integerAtLeast(0) },
  replayBufferConfig: {
    group: 'training',
    check: checkReplayBufferConfig,
    merge: (current, update) => mergeReplayBufferConfig(current as ReplayBufferConfig, update as Partial<ReplayBufferConfig>),
  },
  storeBufferInCheckpoints: { group: 'training', check: isBoolean },
  trainingIntensity: { group: 'training', check: nullable(positiveNumber) },
  doubleQ: { group: 'training', check: isBoolean },
  dueling: { group: 'training', check: isBoolean },
  hiddens: { group: 'training', check: arrayOf(integerAtLeast(1), 'layer sizes (integers >= 1)') },
  nStep: { group: 'training', check: integerAtLeast(1) },
  tdErrorLossFn: { group: 'training', check: oneOf('huber', 'mse') },
  adamEpsilon: { group: 'training', check: positiveNumber },
};

/** The exploration types DQN acts with. */
const EXPLORATION_TYPES = ['EpsilonGreedy'] as const;

/**
 * Configuration of DQN (RLlib's `DQNConfig`): double Q, dueling heads, n-step returns,
 * prioritized replay, a target network, Huber loss, gradient clipping and epsilon-greedy
 * exploration (`exploration({ explorationConfig: { type: 'EpsilonGreedy', initialEpsilon, finalEpsilon, epsilonTimesteps } })`).
 * Needs a Discrete action space.
 */
export class DQNConfig extends AlgorithmConfig<DQNTrainingSettings> {
  /** A config with DQN's defaults. */
  constructor() {
    super('DQN', DQN_DEFAULTS);
  }

  protected override fields(): Readonly<Record<string, FieldSpec>> {
    return DQN_FIELDS;
  }

  /** `rolloutFragmentLength: 'auto'` = `nStep` steps per env per sample round (RLlib's rule), at least 4. */
  override autoRolloutFragmentLength(): number {
    return Math.max(4, this.settings.nStep);
  }

  /** The resolved epsilon-greedy settings (defaults filled in); a `ConfigError` names a bad one. */
  epsilonGreedy(): EpsilonGreedyConfig {
    const raw = { ...DQN_EXPLORATION_DEFAULTS, ...this.settings.explorationConfig } as Record<string, unknown>;
    if (!(EXPLORATION_TYPES as readonly unknown[]).includes(raw.type)) {
      throw new ConfigError(
        `exploration({ explorationConfig: { type } }): DQN explores with ${EXPLORATION_TYPES.join(', ')}, got ${JSON.stringify(raw.type)}.`,
      );
    }
    for (const key of ['initialEpsilon', 'finalEpsilon'] as const) {
      if (numberIn(0, 1)(raw[key]) !== undefined)
        throw new ConfigError(
          `exploration({ explorationConfig: { ${key} } }): expected a number in [0, 1], got ${JSON.stringify(raw[key])}.`,
        );
    }
    if (nonNegativeNumber(raw.epsilonTimesteps) !== undefined) {
      throw new ConfigError(
        `exploration({ explorationConfig: { epsilonTimesteps } }): expected a number >= 0, got ${JSON.stringify(raw.epsilonTimesteps)}.`,
      );
    }
    const unknown = Object.keys(raw).filter((k) => !(k in DQN_EXPLORATION_DEFAULTS));
    if (unknown.length > 0)
      throw new ConfigError(
        `exploration({ explorationConfig }): unknown EpsilonGreedy option "${unknown[0]}". Valid: ${Object.keys(DQN_EXPLORATION_DEFAULTS).join(', ')}.`,
      );
    return raw as unknown as EpsilonGreedyConfig;
  }

  /** Adds DQN's checks to the base ones. */
  override validate(): void {
    super.validate();
    this.epsilonGreedy();
    resolveReplayBufferConfig(this.settings.replayBufferConfig, 'training({ replayBufferConfig })');
  }

  /** Rebuilds a DQN config from `toJSON()` output. */
  static fromJSON(json: Readonly<Record<string, unknown>>): DQNConfig {
    return configFromJSON({ ...json, algorithm: 'DQN' }) as DQNConfig;
  }

  /** Validates and builds a DQN (synchronous; workers start in the background). */
  override build(): DQN {
    return super.build() as DQN;
  }
}
