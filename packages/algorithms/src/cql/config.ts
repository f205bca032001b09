import { type AllSettings, configFromJSON, type FieldSpec } from '@loomrl/core';
import { integerAtLeast, isBoolean, nonNegativeNumber, positiveNumber } from '@loomrl/core/internal';
import { SAC_DEFAULTS, SAC_FIELDS, SACConfig, type SACTrainingSettings } from '../sac/config.js';
import type { CQL } from './algorithm.js';

/** CQL's training settings: SAC's plus the conservative penalty (RLlib's `CQLConfig.training()`, camelCased). */
export interface CQLTrainingSettings extends SACTrainingSettings {
  /** Gradient steps of behaviour cloning (actor loss α·log π − log π(a_data|s)) before the SAC actor loss (RLlib `bc_iters`). */
  bcIters: number;
  /** Temperature T of the logsumexp penalty (RLlib `temperature`). */
  temperature: number;
  /** Actions sampled per state and source (random, π(·|s), π(·|s′)) for the penalty (RLlib `num_actions`). */
  numActions: number;
  /** Tune the penalty weight α′ so the penalty stays near `lagrangianThresh` (RLlib `lagrangian`). */
  lagrangian: boolean;
  /** The Lagrangian's threshold (RLlib `lagrangian_thresh`). */
  lagrangianThresh: number;
  /** Weight of the conservative penalty (RLlib `min_q_weight`). */
  minQWeight: number;
}

/** CQL's defaults: SAC's plus RLlib's CQL ones, written once. */
export const CQL_DEFAULTS: Partial<AllSettings<CQLTrainingSettings>> = {
  ...(SAC_DEFAULTS as Partial<AllSettings<CQLTrainingSettings>>),
  bcIters: 20_000,
  temperature: 1.0,
  numActions: 10,
  lagrangian: false,
  lagrangianThresh: 5.0,
  minQWeight: 5.0,
  minSampleTimestepsPerIteration: 0,
  minTrainTimestepsPerIteration: 100,
};

const CQL_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...SAC_FIELDS,
  bcIters: { group: 'training', check: integerAtLeast(0) },
  temperature: { group: 'training', check: positiveNumber },
  numActions: { group: 'training', check: integerAtLeast(1) },
  lagrangian: { group: 'training', check: isBoolean },
  lagrangianThresh: { group: 'training', check: nonNegativeNumber },
  minQWeight: { group: 'training', check: nonNegativeNumber },
};

/**
 * Configuration of Conservative Q-Learning on SAC (RLlib's `CQLConfig`): offline SAC whose critics
 * are pushed down on actions the data does not support (a logsumexp penalty over random and policy
 * actions, optionally with a Lagrangian weight), after a behaviour-cloning warm-up of the actor.
 * Box actions only.
 */
export class CQLConfig extends SACConfig<CQLTrainingSettings> {
  /** A config with CQL's defaults. */
  constructor() {
    super('CQL', CQL_DEFAULTS);
  }

  protected override fields(): Readonly<Record<string, FieldSpec>> {
    return CQL_FIELDS;
  }

  /** Builds the algorithm (synchronously; workers start in the background). */
  override build(): CQL {
    return super.build() as unknown as CQL;
  }

  /** Rebuilds a CQL config from `toJSON()` output. */
  static override fromJSON(json: Readonly<Record<string, unknown>>): CQLConfig {
    return configFromJSON({ ...json, algorithm: 'CQL' }) as CQLConfig;
  }
}
