import {
  AlgorithmConfig,
  type AllSettings,
  ConfigError,
  configFromJSON,
  type FieldSpec,
  type ModelSettings,
  type TrainingSettings,
} from '@loomrl/core';
import { BASE_FIELDS, integerAtLeast, isBoolean, MODEL_FIELDS, nonNegativeNumber, numberIn, positiveNumber } from '@loomrl/core/internal';
import type { PPO } from './algorithm.js';

/** PPO's `training({ model })`: the fully connected nets plus RLlib's actor-critic keys. */
export interface PPOModelSettings extends ModelSettings {
  /** Policy and value function share hidden layers (RLlib `vf_share_layers`). */
  vfShareLayers: boolean;
  /** Gaussian log-std is a free, state-independent parameter (RLlib `free_log_std`). */
  freeLogStd: boolean;
}

/** PPO's training settings (RLlib's `PPOConfig.training()`, camelCased). */
export interface PPOTrainingSettings extends TrainingSettings<PPOModelSettings> {
  /** GAE λ (RLlib `lambda_`). */
  lambda: number;
  /** Use generalized advantage estimation (RLlib `use_gae`). */
  useGae: boolean;
  /** Use a value-function baseline (RLlib `use_critic`). */
  useCritic: boolean;
  /** Initial coefficient of the KL penalty (RLlib `kl_coeff`). */
  klCoeff: number;
  /** KL the adaptive coefficient aims at (RLlib `kl_target`). */
  klTarget: number;
  /** Add the adaptive KL penalty to the loss (RLlib `use_kl_loss`). */
  useKlLoss: boolean;
  /** Minibatch size of each SGD step (RLlib `sgd_minibatch_size`). */
  sgdMinibatchSize: number;
  /** Passes over the train batch per iteration (RLlib `num_sgd_iter`). */
  numSgdIter: number;
  /** Reshuffle rows before each pass (RLlib `shuffle_sequences`). */
  shuffleSequences: boolean;
  /** Surrogate clipping ε (RLlib `clip_param`). */
  clipParam: number;
  /** The squared value error is clipped at this (RLlib `vf_clip_param`). */
  vfClipParam: number;
  /** Weight of the value loss (RLlib `vf_loss_coeff`). */
  vfLossCoeff: number;
  /** Weight of the entropy bonus (RLlib `entropy_coeff`). */
  entropyCoeff: number;
}

/** PPO's defaults: RLlib's, written once. */
export const PPO_DEFAULTS: Partial<AllSettings<PPOTrainingSettings>> = {
  lr: 5e-5,
  trainBatchSize: 4000,
  rolloutFragmentLength: 'auto',
  lambda: 1.0,
  useGae: true,
  useCritic: true,
  klCoeff: 0.2,
  klTarget: 0.01,
  useKlLoss: true,
  sgdMinibatchSize: 128,
  numSgdIter: 30,
  shuffleSequences: true,
  clipParam: 0.3,
  vfClipParam: 10.0,
  vfLossCoeff: 1.0,
  entropyCoeff: 0.0,
  gradClip: null,
  model: { fcnetHiddens: [256, 256], fcnetActivation: 'tanh', vfShareLayers: false, freeLogStd: false },
};

const PPO_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...BASE_FIELDS,
  lambda: { group: 'training', check: numberIn(0, 1) },
  useGae: { group: 'training', check: isBoolean },
  useCritic: { group: 'training', check: isBoolean },
  klCoeff: { group: 'training', check: nonNegativeNumber },
  klTarget: { group: 'training', check: positiveNumber },
  useKlLoss: { group: 'training', check: isBoolean },
  sgdMinibatchSize: { group: 'training', check: integerAtLeast(1) },
  numSgdIter: { group: 'training', check: integerAtLeast(1) },
  shuffleSequences: { group: 'training', check: isBoolean },
  clipParam: { group: 'training', check: positiveNumber },
  vfClipParam: { group: 'training', check: positiveNumber },
  vfLossCoeff: { group: 'training', check: nonNegativeNumber },
  entropyCoeff: { group: 'training', check: nonNegativeNumber },
};

const PPO_MODEL_FIELDS = { ...MODEL_FIELDS, vfShareLayers: isBoolean, freeLogStd: isBoolean };

/**
 * Configuration of Proximal Policy Optimization (RLlib's `PPOConfig`): clipped surrogate, GAE,
 * clipped value loss, entropy bonus, adaptive KL penalty, minibatch SGD epochs.
 */
export class PPOConfig extends AlgorithmConfig<PPOTrainingSettings> {
  /** A config with PPO's defaults. */
  constructor() {
    super('PPO', PPO_DEFAULTS);
  }

  protected override fields(): Readonly<Record<string, FieldSpec>> {
    return PPO_FIELDS;
  }

  protected override modelFields(): Readonly<Record<string, (v: unknown) => string | undefined>> {
    return PPO_MODEL_FIELDS;
  }

  /** PPO's kernel learner does (`'auto'` picks the kernels unless tfjs-node is installed; then it learns on one thread). */
  protected override splitsMinibatchesAcrossLearners(): boolean {
    return this.settings.backend === 'loomrl' || this.settings.backend === 'auto';
  }

  /** Adds PPO's checks (RLlib's) to the base ones. */
  override validate(): void {
    super.validate();
    const s = this.settings;
    if (s.sgdMinibatchSize > s.trainBatchSize) {
      throw new ConfigError(`training({ sgdMinibatchSize: ${s.sgdMinibatchSize} }) must be <= trainBatchSize (${s.trainBatchSize}).`);
    }
    if (s.batchMode === 'truncate_episodes' && !s.useGae) {
      throw new ConfigError(
        'rollouts({ batchMode: "truncate_episodes" }) needs training({ useGae: true }): without GAE, cut episodes cannot be bootstrapped.',
      );
    }
    if (s.rolloutFragmentLength !== 'auto' && s.batchMode === 'truncate_episodes') {
      const perRound = Math.max(1, s.numRolloutWorkers) * s.numEnvsPerWorker * s.rolloutFragmentLength;
      const rounds = Math.ceil(s.trainBatchSize / perRound);
      if (rounds * perRound > s.trainBatchSize * 1.1) {
        const suggestion = Math.max(1, Math.floor(s.trainBatchSize / (Math.max(1, s.numRolloutWorkers) * s.numEnvsPerWorker)));
        throw new ConfigError(
          `rollouts({ rolloutFragmentLength: ${s.rolloutFragmentLength} }) with ${s.numEnvsPerWorker} env(s) per worker samples ${rounds * perRound} steps for trainBatchSize ${s.trainBatchSize} (more than 10% over). Use rolloutFragmentLength: "auto" or ${suggestion}.`,
        );
      }
    }
  }

  /** Builds the PPO algorithm (synchronously; workers start in the background). */
  override build(): PPO {
    return super.build() as PPO;
  }

  /** Rebuilds a PPO config from `toJSON()` output. */
  static fromJSON(json: Readonly<Record<string, unknown>>): PPOConfig {
    const config = configFromJSON({ ...json, algorithm: 'PPO' });
    return config as PPOConfig;
  }
}
