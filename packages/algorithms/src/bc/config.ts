import { type AllSettings, ConfigError, configFromJSON } from '@loomrl/core';
import { MARWIL_DEFAULTS, MARWILConfig, type MARWILTrainingSettings } from '../marwil/config.js';

/** BC's defaults: MARWIL's with β = 0 and no postprocessing (RLlib's). */
export const BC_DEFAULTS: Partial<AllSettings<MARWILTrainingSettings>> = { ...MARWIL_DEFAULTS, beta: 0, postprocessInputs: false };

/**
 * Configuration of behaviour cloning (RLlib's `BCConfig`): MARWIL with β = 0, i.e. maximum
 * likelihood of the logged actions, L = −mean log π(a|s).
 */
export class BCConfig extends MARWILConfig {
  /** A config with BC's defaults. */
  constructor() {
    super('BC', BC_DEFAULTS);
  }

  /** BC must keep β = 0 (RLlib's check). */
  override validate(): void {
    super.validate();
    if (this.settings.beta !== 0)
      throw new ConfigError(`training({ beta: ${this.settings.beta} }): BC clones behaviour, β must be 0 (use MARWILConfig for β > 0).`);
  }

  /** Rebuilds a BC config from `toJSON()` output. */
  static override fromJSON(json: Readonly<Record<string, unknown>>): BCConfig {
    return configFromJSON({ ...json, algorithm: 'BC' }) as BCConfig;
  }
}
