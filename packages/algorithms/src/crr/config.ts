import { type Activation, AlgorithmConfig, type AllSettings, configFromJSON, type FieldSpec, type TrainingSettings } from '@loomrl/core';
import { arrayOf, BASE_FIELDS, integerAtLeast, isBoolean, nullable, numberIn, oneOf, positiveNumber } from '@loomrl/core/internal';
import type { CRR } from './algorithm.js';

/** CRR's training settings (RLlib's `CRRConfig.training()`, camelCased). */
export interface CRRTrainingSettings extends TrainingSettings {
  /** `'bin'`: w = 1[A > 0]; `'exp'`: w = min(exp(A / temperature), maxWeight) (RLlib `weight_type`). */
  weightType: 'bin' | 'exp';
  /** Temperature of the exponential weights (RLlib `temperature`). */
  temperature: number;
  /** Cap of the exponential weights (RLlib `max_weight`). */
  maxWeight: number;
  /** V(s) as the mean or max of Q over sampled actions, or (Discrete) the expectation under π (RLlib `advantage_type`). */
  advantageType: 'mean' | 'max' | 'expectation';
  /** Actions sampled per state for `mean`/`max` (RLlib `n_action_sample`). */
  nActionSample: number;
  /** Two critics, the minimum taken (RLlib `twin_q`). */
  twinQ: boolean;
  /** Env steps trained between target updates; `null` = 100 × trainBatchSize (RLlib `target_network_update_freq`). */
  targetNetworkUpdateFreq: number | null;
  /** Actor hidden layers (RLlib `actor_hiddens`). */
  actorHiddens: number[];
  /** Actor activation (RLlib `actor_hidden_activation`). */
  actorHiddenActivation: Activation;
  /** Critic hidden layers (RLlib `critic_hiddens`). */
  criticHiddens: number[];
  /** Critic activation (RLlib `critic_hidden_activation`). */
  criticHiddenActivation: Activation;
  /** Actor learning rate (RLlib `actor_lr`). */
  actorLr: number;
  /** Critic learning rate (RLlib `critic_lr`). */
  criticLr: number;
  /** Soft target update τ (RLlib `tau`). */
  tau: number;
  /** `'mse'` (½·Σ δ², RLlib's sum) or `'huber'` (mean) (RLlib `td_error_loss_fn`). */
  tdErrorLossFn: 'mse' | 'huber';
  /** Discrete logits are divided by this, in the loss and when acting (RLlib `categorical_distribution_temperature`). */
  categoricalDistributionTemperature: number;
}

/** CRR's defaults: RLlib's, written once. */
export const CRR_DEFAULTS: Partial<AllSettings<CRRTrainingSettings>> = {
  weightType: 'bin',
  temperature: 1.0,
  maxWeight: 20.0,
  advantageType: 'mean',
  nActionSample: 4,
  twinQ: true,
  trainBatchSize: 128,
  targetNetworkUpdateFreq: null,
  actorHiddens: [256, 256],
  actorHiddenActivation: 'relu',
  criticHiddens: [256, 256],
  criticHiddenActivation: 'relu',
  actorLr: 3e-4,
  criticLr: 3e-4,
  tau: 5e-3,
  tdErrorLossFn: 'mse',
  categoricalDistributionTemperature: 1.0,
  numRolloutWorkers: 4,
  minTimeSPerIteration: 10,
  evaluationConfig: { explore: false },
};

const activation = oneOf('tanh', 'relu', 'swish', 'linear');
const layers = arrayOf(integerAtLeast(1), 'layer sizes (integers >= 1)');

const CRR_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...BASE_FIELDS,
  weightType: { group: 'training', check: oneOf('bin', 'exp') },
  temperature: { group: 'training', check: positiveNumber },
  maxWeight: { group: 'training', check: positiveNumber },
  advantageType: { group: 'training', check: oneOf('mean', 'max', 'expectation') },
  nActionSample: { group: 'training', check: integerAtLeast(1) },
  twinQ: { group: 'training', check: isBoolean },
  targetNetworkUpdateFreq: { group: 'training', check: nullable(integerAtLeast(1)) },
  actorHiddens: { group: 'training', check: layers },
  actorHiddenActivation: { group: 'training', check: activation },
  criticHiddens: { group: 'training', check: layers },
  criticHiddenActivation: { group: 'training', check: activation },
  actorLr: { group: 'training', check: positiveNumber },
  criticLr: { group: 'training', check: positiveNumber },
  tau: { group: 'training', check: numberIn(0, 1) },
  tdErrorLossFn: { group: 'training', check: oneOf('mse', 'huber') },
  categoricalDistributionTemperature: { group: 'training', check: positiveNumber },
};

/**
 * Configuration of Critic Regularized Regression (RLlib's `CRRConfig`): offline actor-critic where
 * the actor imitates logged actions weighted by their advantage under twin critics (binary or
 * exponential weights), for Discrete and Box actions.
 */
export class CRRConfig extends AlgorithmConfig<CRRTrainingSettings> {
  /** A config with CRR's defaults. */
  constructor() {
    super('CRR', CRR_DEFAULTS);
  }

  protected override fields(): Readonly<Record<string, FieldSpec>> {
    return CRR_FIELDS;
  }

  /** CRR reads (s, a, r, s′, terminated) from offline input. */
  override requiredInputColumns(): string[] {
    return ['obs', 'nextObs', 'actions', 'rewards', 'terminateds'];
  }

  /** Builds the algorithm (synchronously; workers start in the background). */
  override build(): CRR {
    return super.build() as CRR;
  }

  /** Rebuilds a CRR config from `toJSON()` output. */
  static fromJSON(json: Readonly<Record<string, unknown>>): CRRConfig {
    return configFromJSON({ ...json, algorithm: 'CRR' }) as CRRConfig;
  }
}
