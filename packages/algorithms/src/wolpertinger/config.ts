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
import type { Wolpertinger } from './algorithm.js';

/** Wolpertinger's training settings (RLlib DDPG's names where they exist, camelCased). */
export interface WolpertingerTrainingSettings extends TrainingSettings {
  /** Hidden layers of the actor, ReLU (RLlib DDPG `actor_hiddens`). */
  actorHiddens: number[];
  /** Hidden layers of the critic on concat(state, item embedding), ReLU (RLlib DDPG `critic_hiddens`). */
  criticHiddens: number[];
  /** Length of the learned item embeddings and of the proto-action (LoomRL). */
  embeddingDim: number;
  /** How many items nearest the proto-action the critic compares (Wolpertinger's k). */
  k: number;
  /** The actor's Adam learning rate (RLlib DDPG `actor_lr`). */
  actorLr: number;
  /** The critic's (and the embeddings') Adam learning rate (RLlib DDPG `critic_lr`). */
  criticLr: number;
  /** Soft target update τ after every update: θ′ ← τθ + (1 − τ)θ′ (RLlib `tau`). */
  tau: number;
  /** Replayed rows per sampled env step; `null` = one update per sample round (RLlib `training_intensity`). */
  trainingIntensity: number | null;
  /** Env steps sampled before the first update (RLlib `num_steps_sampled_before_learning_starts`). */
  numStepsSampledBeforeLearningStarts: number;
  /** The replay buffer (RLlib `replay_buffer_config`). */
  replayBufferConfig: Partial<ReplayBufferConfig>;
  /** Save the replay buffer in checkpoints, so a restored run continues bit for bit (RLlib `store_buffer_in_checkpoints`). */
  storeBufferInCheckpoints: boolean;
  /**
   * Which numbers of the observation are the state the actor and critic see: `'user'` = a RecSim
   * observation's user part, `'observation'` = all of it, `null` = `'user'` for RecSim observations.
   */
  stateFeatures: 'user' | 'observation' | null;
}

/** Wolpertinger's ε-random exploration: the notebook's ε = 0.2, in the standard meaning (random with probability ε). */
export const WOLPERTINGER_EXPLORATION_DEFAULTS: EpsilonGreedyConfig = {
  type: 'EpsilonGreedy',
  initialEpsilon: 0.2,
  finalEpsilon: 0.2,
  epsilonTimesteps: 0,
};

/** Wolpertinger's defaults (the actor-critic of the RecSim catalogue notebook), written once. */
export const WOLPERTINGER_DEFAULTS: Partial<AllSettings<WolpertingerTrainingSettings>> = {
  actorHiddens: [64, 64],
  criticHiddens: [64, 64],
  embeddingDim: 4,
  k: 5,
  actorLr: 1e-3,
  criticLr: 1e-3,
  tau: 0.001,
  gamma: 0.99,
  trainBatchSize: 32,
  rolloutFragmentLength: 1,
  trainingIntensity: null,
  numStepsSampledBeforeLearningStarts: 1000,
  replayBufferConfig: { ...REPLAY_BUFFER_DEFAULTS, type: 'MultiAgentReplayBuffer', capacity: 100_000 },
  storeBufferInCheckpoints: false,
  explorationConfig: { ...WOLPERTINGER_EXPLORATION_DEFAULTS },
  evaluationConfig: { explore: false },
  minSampleTimestepsPerIteration: 1000,
  stateFeatures: null,
};

const layerSizes = arrayOf(integerAtLeast(1), 'layer sizes (integers >= 1)');

const WOLPERTINGER_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...BASE_FIELDS,
  actorHiddens: { group: 'training', check: layerSizes },
  criticHiddens: { group: 'training', check: layerSizes },
  embeddingDim: { group: 'training', check: integerAtLeast(1) },
  k: { group: 'training', check: integerAtLeast(1) },
  actorLr: { group: 'training', check: positiveNumber },
  criticLr: { group: 'training', check: positiveNumber },
  tau: { group: 'training', check: (v) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : 'a number in (0, 1]') },
  trainingIntensity: { group: 'training', check: nullable(positiveNumber) },
  numStepsSampledBeforeLearningStarts: { group: 'training', check: integerAtLeast(0) },
  replayBufferConfig: {
    group: 'training',
    check: checkReplayBufferConfig,
    merge: (current, update) => mergeReplayBufferConfig(current as ReplayBufferConfig, update as Partial<ReplayBufferConfig>),
  },
  storeBufferInCheckpoints: { group: 'training', check: isBoolean },
  stateFeatures: { group: 'training', check: nullable(oneOf('user', 'observation')) },
};

/**
 * Configuration of a Wolpertinger-style actor-critic over item embeddings (Dulac-Arnold et al.
 * 2015, as the RecSim catalogue notebook trains it): the actor emits a normalised proto-action,
 * the k nearest of the learned L2-normalised item embeddings are scored by the critic, DDPG-style
 * targets with soft updates, replay, ε-random actions
 * (`exploration({ explorationConfig: { type: 'EpsilonGreedy', initialEpsilon, finalEpsilon, epsilonTimesteps } })`).
 * Needs a `Discrete(N)` action space or RecSim slates of one item.
 */
export class WolpertingerConfig extends AlgorithmConfig<WolpertingerTrainingSettings> {
  /** A config with Wolpertinger's defaults. */
  constructor() {
    super('Wolpertinger', WOLPERTINGER_DEFAULTS);
  }

  protected override fields(): Readonly<Record<string, FieldSpec>> {
    return WOLPERTINGER_FIELDS;
  }

  /** `rolloutFragmentLength: 'auto'` = 1 step per env per sample round (an update per env step, as DDPG). */
  override autoRolloutFragmentLength(): number {
    return 1;
  }

  /** The resolved ε-greedy settings; a `ConfigError` names a bad one. */
  epsilonGreedy(): EpsilonGreedyConfig {
    const raw = { ...WOLPERTINGER_EXPLORATION_DEFAULTS, ...this.settings.explorationConfig } as Record<string, unknown>;
    if (raw.type !== 'EpsilonGreedy') {
      throw new ConfigError(
        `exploration({ explorationConfig: { type } }): Wolpertinger explores with "EpsilonGreedy", got ${JSON.stringify(raw.type)}.`,
      );
    }
    for (const key of ['initialEpsilon', 'finalEpsilon'] as const) {
      if (numberIn(0, 1)(raw[key]) !== undefined) {
        throw new ConfigError(
          `exploration({ explorationConfig: { ${key} } }): expected a number in [0, 1], got ${JSON.stringify(raw[key])}.`,
        );
      }
    }
    if (nonNegativeNumber(raw.epsilonTimesteps) !== undefined) {
      throw new ConfigError(
        `exploration({ explorationConfig: { epsilonTimesteps } }): expected a number >= 0, got ${JSON.stringify(raw.epsilonTimesteps)}.`,
      );
    }
    return raw as unknown as EpsilonGreedyConfig;
  }

  /** Adds Wolpertinger's checks to the base ones. */
  override validate(): void {
    super.validate();
    this.epsilonGreedy();
    resolveReplayBufferConfig(this.settings.replayBufferConfig, 'training({ replayBufferConfig })');
  }

  /** Rebuilds a Wolpertinger config from `toJSON()` output. */
  static fromJSON(json: Readonly<Record<string, unknown>>): WolpertingerConfig {
    return configFromJSON({ ...json, algorithm: 'Wolpertinger' }) as WolpertingerConfig;
  }

  /** Validates and builds the algorithm (synchronous; workers start in the background). */
  override build(): Wolpertinger {
    return super.build() as Wolpertinger;
  }
}
