import {
  AlgorithmConfig,
  type AllSettings,
  ConfigError,
  configFromJSON,
  type FieldSpec,
  type ModelSettings,
  type TrainingSettings,
} from '@loomrl/core';
import { BASE_FIELDS, isBoolean, MODEL_FIELDS, nonNegativeNumber, numberIn, positiveNumber } from '@loomrl/core/internal';
import type { MARWIL } from './algorithm.js';

/** MARWIL's `training({ model })`: RLlib's fully connected actor-critic keys. */
export interface MARWILModelSettings extends ModelSettings {
  /** Policy and value function share hidden layers (RLlib `vf_share_layers`). */
  vfShareLayers: boolean;
  /** Gaussian log-std is a free, state-independent parameter (RLlib `free_log_std`). */
  freeLogStd: boolean;
}

/** MARWIL's training settings (RLlib's `MARWILConfig.training()`, camelCased). */
export interface MARWILTrainingSettings extends TrainingSettings<MARWILModelSettings> {
  /** Advantage weighting exp(β·A/c): 0 = behaviour cloning (RLlib `beta`). */
  beta: number;
  /** Weight of the log-std term that keeps Gaussian policies wide (RLlib `bc_logstd_coeff`). */
  bcLogstdCoeff: number;
  /** Initial c² of the squared-advantage moving average (RLlib `moving_average_sqd_adv_norm_start`). */
  movingAverageSqdAdvNormStart: number;
  /** c² ← c² + rate · (mean A² − c²) per update (RLlib `moving_average_sqd_adv_norm_update_rate`). */
  movingAverageSqdAdvNormUpdateRate: number;
  /** Weight of the value loss (RLlib `vf_coeff`). */
  vfCoeff: number;
}

/** MARWIL's defaults: RLlib's, written once. */
export const MARWIL_DEFAULTS: Partial<AllSettings<MARWILTrainingSettings>> = {
  lr: 1e-4,
  trainBatchSize: 2000,
  gradClip: null,
  beta: 1.0,
  bcLogstdCoeff: 0.0,
  movingAverageSqdAdvNormStart: 100.0,
  movingAverageSqdAdvNormUpdateRate: 1e-8,
  vfCoeff: 1.0,
  postprocessInputs: true,
  model: { fcnetHiddens: [256, 256], fcnetActivation: 'tanh', vfShareLayers: false, freeLogStd: false },
};

const MARWIL_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...BASE_FIELDS,
  beta: { group: 'training', check: numberIn(0, 1) },
  bcLogstdCoeff: { group: 'training', check: nonNegativeNumber },
  movingAverageSqdAdvNormStart: { group: 'training', check: positiveNumber },
  movingAverageSqdAdvNormUpdateRate: { group: 'training', check: numberIn(0, 1) },
  vfCoeff: { group: 'training', check: nonNegativeNumber },
};

/** The actor-critic model keys (`actorCritic` module kind). */
export const ACTOR_CRITIC_MODEL_FIELDS = { ...MODEL_FIELDS, vfShareLayers: isBoolean, freeLogStd: isBoolean };

/**
 * Configuration of MARWIL (RLlib's `MARWILConfig`): monotonic advantage re-weighted imitation
 * learning from logged data (or online samples) — the policy imitates actions weighted by
 * exp(β·A / c), A = discounted return − V(s), c² a moving average of A². β = 0 is behaviour cloning.
 */
export class MARWILConfig extends AlgorithmConfig<MARWILTrainingSettings> {
  /** A config with MARWIL's defaults (or, for subclasses, another algorithm's name and defaults). */
  constructor(algorithm = 'MARWIL', defaults: Partial<AllSettings<MARWILTrainingSettings>> = MARWIL_DEFAULTS) {
    super(algorithm, defaults);
  }

  protected override fields(): Readonly<Record<string, FieldSpec>> {
    return MARWIL_FIELDS;
  }

  protected override modelFields(): Readonly<Record<string, (v: unknown) => string | undefined>> {
    return ACTOR_CRITIC_MODEL_FIELDS;
  }

  /** Adds MARWIL's checks (RLlib's) to the base ones. */
  override validate(): void {
    super.validate();
    const s = this.settings;
    if (s.beta > 0 && s.input !== 'sampler' && !s.postprocessInputs) {
      throw new ConfigError(
        `training({ beta: ${s.beta} }) weights actions by advantages computed from the current value function: it needs offlineData({ postprocessInputs: true }).`,
      );
    }
  }

  /** Builds the algorithm (synchronously; workers start in the background). */
  override build(): MARWIL {
    return super.build() as MARWIL;
  }

  /** Rebuilds a MARWIL config from `toJSON()` output. */
  static fromJSON(json: Readonly<Record<string, unknown>>): MARWILConfig {
    return configFromJSON({ ...json, algorithm: 'MARWIL' }) as MARWILConfig;
  }
}
