import {
  type Activation,
  AlgorithmConfig,
  type AllSettings,
  ConfigError,
  configFromJSON,
  type FieldSpec,
  type TrainingSettings,
} from '@loomrl/core';
import { BASE_FIELDS, either, integerAtLeast, isBoolean, nullable, oneOf, plainObject, positiveNumber } from '@loomrl/core/internal';
import {
  checkReplayBufferConfig,
  mergeReplayBufferConfig,
  REPLAY_BUFFER_DEFAULTS,
  type ReplayBufferConfig,
  resolveReplayBufferConfig,
} from '../replay/index.js';
import type { SAC } from './algorithm.js';

/** A fully connected net of SAC (RLlib's `q_model_config` / `policy_model_config`). */
export interface SACModelConfig {
  fcnetHiddens: number[];
  fcnetActivation: Activation;
}

/** SAC's learning rates (RLlib's `optimization` dict). */
export interface SACOptimization {
  actorLearningRate: number;
  criticLearningRate: number;
  entropyLearningRate: number;
}

/** SAC's training settings (RLlib's `SACConfig.training()`, camelCased). */
export interface SACTrainingSettings extends TrainingSettings {
  /** Two Q networks, the minimum taken in targets (RLlib `twin_q`). */
  twinQ: boolean;
  /** The Q networks (RLlib `q_model_config`). */
  qModelConfig: SACModelConfig;
  /** The policy network (RLlib `policy_model_config`). */
  policyModelConfig: SACModelConfig;
  /** Target update τ (RLlib `tau`). */
  tau: number;
  /** α at the start; log α is learned (RLlib `initial_alpha`). */
  initialAlpha: number;
  /** `'auto'` = −dim(A) for Box, 0.98·log|A| for Discrete (RLlib `target_entropy`). */
  targetEntropy: 'auto' | number;
  /** Multi-step returns (RLlib `n_step`). */
  nStep: number;
  /** The replay buffer (RLlib `replay_buffer_config`). */
  replayBufferConfig: Partial<ReplayBufferConfig>;
  /** Save the replay buffer in checkpoints (RLlib `store_buffer_in_checkpoints`). */
  storeBufferInCheckpoints: boolean;
  /** Learning rates of actor, critics and α (RLlib `optimization`). */
  optimization: SACOptimization;
  /** Env steps between target updates; 0 = after every training step (RLlib `target_network_update_freq`). */
  targetNetworkUpdateFreq: number;
  /** Env steps sampled before the first update (RLlib `num_steps_sampled_before_learning_starts`). */
  numStepsSampledBeforeLearningStarts: number;
  /** Replayed rows per sampled env step; `null` = one update per sample round (RLlib `training_intensity`). */
  trainingIntensity: number | null;
}

const NET = (): SACModelConfig => ({ fcnetHiddens: [256, 256], fcnetActivation: 'relu' });

/** SAC's defaults: RLlib's (2.3–2.9), written once. */
export const SAC_DEFAULTS: Partial<AllSettings<SACTrainingSettings>> = {
  twinQ: true,
  qModelConfig: NET(),
  policyModelConfig: NET(),
  tau: 5e-3,
  initialAlpha: 1.0,
  targetEntropy: 'auto',
  nStep: 1,
  replayBufferConfig: { ...REPLAY_BUFFER_DEFAULTS, capacity: 1_000_000 },
  storeBufferInCheckpoints: false,
  optimization: { actorLearningRate: 3e-4, criticLearningRate: 3e-4, entropyLearningRate: 3e-4 },
  gradClip: null,
  targetNetworkUpdateFreq: 0,
  trainBatchSize: 256,
  numStepsSampledBeforeLearningStarts: 1500,
  trainingIntensity: null,
  rolloutFragmentLength: 'auto',
  clipActions: false,
  minTimeSPerIteration: 1,
  minSampleTimestepsPerIteration: 100,
  evaluationConfig: { explore: false },
};

const netCheck = (v: unknown): string | undefined => {
  const expected = '{ fcnetHiddens: integers >= 1, fcnetActivation: "relu" | "tanh" | "swish" | "linear" }';
  if (plainObject(v) !== undefined) return expected;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => k !== 'fcnetHiddens' && k !== 'fcnetActivation');
  if (keys.length > 0) return `${expected} (unknown key "${keys[0]}")`;
  if (o.fcnetHiddens !== undefined && !(Array.isArray(o.fcnetHiddens) && o.fcnetHiddens.every((h) => Number.isInteger(h) && h >= 1)))
    return expected;
  if (o.fcnetActivation !== undefined && oneOf('relu', 'tanh', 'swish', 'linear')(o.fcnetActivation) !== undefined) return expected;
  return undefined;
};

const optimizationCheck = (v: unknown): string | undefined => {
  const expected = '{ actorLearningRate, criticLearningRate, entropyLearningRate } (numbers > 0)';
  if (plainObject(v) !== undefined) return expected;
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    if (!['actorLearningRate', 'criticLearningRate', 'entropyLearningRate'].includes(key)) return `${expected} (unknown key "${key}")`;
    if (positiveNumber(value) !== undefined) return expected;
  }
  return undefined;
};

const mergeObject = (current: unknown, update: unknown) => ({ ...(current as object), ...(update as object) });

/** SAC's fields beyond the base ones (CQL adds its own to these). */
export const SAC_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...BASE_FIELDS,
  twinQ: { group: 'training', check: isBoolean },
  qModelConfig: { group: 'training', check: netCheck, merge: mergeObject },
  policyModelConfig: { group: 'training', check: netCheck, merge: mergeObject },
  tau: { group: 'training', check: (v) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : 'a number in (0, 1]') },
  initialAlpha: { group: 'training', check: positiveNumber },
  targetEntropy: {
    group: 'training',
    check: either(oneOf('auto'), (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'a number')),
  },
  nStep: { group: 'training', check: integerAtLeast(1) },
  replayBufferConfig: {
    group: 'training',
    check: checkReplayBufferConfig,
    merge: (current, update) => mergeReplayBufferConfig(current as ReplayBufferConfig, update as Partial<ReplayBufferConfig>),
  },
  storeBufferInCheckpoints: { group: 'training', check: isBoolean },
  optimization: { group: 'training', check: optimizationCheck, merge: mergeObject },
  targetNetworkUpdateFreq: { group: 'training', check: integerAtLeast(0) },
  numStepsSampledBeforeLearningStarts: { group: 'training', check: integerAtLeast(0) },
  trainingIntensity: { group: 'training', check: nullable(positiveNumber) },
};

/**
 * Configuration of Soft Actor-Critic (RLlib's `SACConfig`): a stochastic actor (squashed Gaussian
 * for Box actions, categorical for Discrete), twin Q networks with soft-updated targets, a learned
 * entropy temperature α, prioritized replay. Learns online, or offline from `offlineData({ input })`.
 */
export class SACConfig<T extends SACTrainingSettings = SACTrainingSettings> extends AlgorithmConfig<T> {
  /** A config with SAC's defaults (or, for CQL, its name and defaults). */
  constructor(algorithm = 'SAC', defaults: Partial<AllSettings<T>> = SAC_DEFAULTS as Partial<AllSettings<T>>) {
    super(algorithm, defaults);
  }

  protected override fields(): Readonly<Record<string, FieldSpec>> {
    return SAC_FIELDS;
  }

  /** `rolloutFragmentLength: 'auto'` = `nStep` (RLlib's rule). */
  override autoRolloutFragmentLength(): number {
    return this.settings.nStep;
  }

  /** SAC reads (s, a, r, s′, terminated) from offline input. */
  override requiredInputColumns(): string[] {
    return ['obs', 'nextObs', 'actions', 'rewards', 'terminateds'];
  }

  /** Adds SAC's checks (RLlib's) to the base ones. */
  override validate(): void {
    super.validate();
    const s = this.settings as Readonly<AllSettings<SACTrainingSettings>>;
    resolveReplayBufferConfig(s.replayBufferConfig, 'training({ replayBufferConfig })');
    if (s.rolloutFragmentLength !== 'auto' && s.rolloutFragmentLength < s.nStep) {
      throw new ConfigError(`rollouts({ rolloutFragmentLength: ${s.rolloutFragmentLength} }) must be >= training({ nStep: ${s.nStep} }).`);
    }
  }

  /** Builds the algorithm (synchronously; workers start in the background). */
  override build(): SAC {
    return super.build() as SAC;
  }

  /** Rebuilds a SAC config from `toJSON()` output. */
  static fromJSON(json: Readonly<Record<string, unknown>>): SACConfig {
    return configFromJSON({ ...json, algorithm: 'SAC' }) as SACConfig;
  }
}
