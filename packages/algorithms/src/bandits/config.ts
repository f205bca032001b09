import { AlgorithmConfig, type AllSettings, ConfigError, configFromJSON, type FieldSpec, type TrainingSettings } from '@loomrl/core';
import { BASE_FIELDS, nonNegativeNumber, positiveNumber } from '@loomrl/core/internal';
import type { Bandit } from './algorithm.js';

/** The bandits' training settings (RLlib's `BanditConfig`, camelCased). */
export interface BanditTrainingSettings extends TrainingSettings {
  /** Ridge λ: every arm's A starts as λI; `null` = RLlib's default, 1 per arm and 0.1 for the parametric model (RLlib `lambda_`). */
  lambda: number | null;
  /** Exploration scale α: the UCB bonus α√(xᵀA⁻¹x), the Thompson covariance α²A⁻¹ (RLlib `alpha`). */
  alpha: number;
}

/** The bandits' defaults: RLlib's, written once. */
export const BANDIT_DEFAULTS: Partial<AllSettings<BanditTrainingSettings>> = {
  trainBatchSize: 1,
  rolloutFragmentLength: 1,
  minSampleTimestepsPerIteration: 100,
  lambda: null,
  alpha: 1,
  evaluationConfig: { explore: false },
};

const BANDIT_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...BASE_FIELDS,
  lambda: { group: 'training', check: (v) => (v === null ? undefined : positiveNumber(v)) },
  alpha: { group: 'training', check: nonNegativeNumber },
};

/** How a bandit explores: UCB (LinUCB) or Thompson sampling (LinTS). */
export type BanditExploration = 'UpperConfidenceBound' | 'ThompsonSampling';

/**
 * The common config of the linear contextual bandits: per-arm online ridge regression on Box
 * contexts (or one regression over per-candidate item features for RecSim's bandit observation),
 * updated from every sampled step. Needs a Discrete action space.
 */
export abstract class BanditConfig extends AlgorithmConfig<BanditTrainingSettings> {
  /** How this bandit explores. */
  abstract readonly explorationType: BanditExploration;

  protected override fields(): Readonly<Record<string, FieldSpec>> {
    return BANDIT_FIELDS;
  }

  /** Adds the bandits' checks to the base ones. */
  override validate(): void {
    super.validate();
    const type = this.settings.explorationConfig.type;
    if (type !== undefined && type !== this.explorationType) {
      throw new ConfigError(
        `exploration({ explorationConfig: { type: ${JSON.stringify(type)} } }): ${this.algorithm} explores with "${this.explorationType}".`,
      );
    }
  }

  /** Validates and builds the bandit (synchronous; workers start in the background). */
  override build(): Bandit {
    return super.build() as Bandit;
  }
}

/** LinUCB (RLlib's `BanditLinUCBConfig`): acts on the upper confidence bound θ̂ᵀx + α√(xᵀA⁻¹x). */
export class BanditLinUCBConfig extends BanditConfig {
  readonly explorationType = 'UpperConfidenceBound';

  /** A config with RLlib's defaults. */
  constructor() {
    super('BanditLinUCB', BANDIT_DEFAULTS);
  }

  /** Rebuilds a LinUCB config from `toJSON()` output. */
  static fromJSON(json: Readonly<Record<string, unknown>>): BanditLinUCBConfig {
    return configFromJSON({ ...json, algorithm: 'BanditLinUCB' }) as BanditLinUCBConfig;
  }
}

/** LinTS (RLlib's `BanditLinTSConfig`): acts on a Thompson draw θ̃ ~ N(θ̂, α²A⁻¹) per arm. */
export class BanditLinTSConfig extends BanditConfig {
  readonly explorationType = 'ThompsonSampling';

  /** A config with RLlib's defaults. */
  constructor() {
    super('BanditLinTS', BANDIT_DEFAULTS);
  }

  /** Rebuilds a LinTS config from `toJSON()` output. */
  static fromJSON(json: Readonly<Record<string, unknown>>): BanditLinTSConfig {
    return configFromJSON({ ...json, algorithm: 'BanditLinTS' }) as BanditLinTSConfig;
  }
}
