import { ConfigError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { RECOGYM_DEFAULTS, RECOGYM_PYTHON_NAMES, recoGymConfigKeys, resolveRecoGymConfig } from './config.js';
import { RecoGymEnv } from './env.js';

describe('RecoGym config', () => {
  it("fills in RecoGym's env_1_args defaults", () => {
    const config = resolveRecoGymConfig({});
    expect(config).toMatchObject({
      numProducts: 10,
      k: 5,
      sigmaOmegaInitial: 1,
      sigmaOmega: 0.1,
      sigmaMuOrganic: 3,
      numberOfFlips: 0,
      probLeaveOrganic: 0.01,
      probOrganicToBandit: 0.25,
      probBanditToOrganic: 0.05,
      normalizeBeta: false,
      changeOmegaForBandits: false,
      numClusters: 2,
      phiVar: 0.1,
    });
    expect(Object.keys(RECOGYM_PYTHON_NAMES).sort()).toEqual(Object.keys(RECOGYM_DEFAULTS).sort());
  });

  it('rejects an unknown key and suggests the nearest one', () => {
    expect(() => resolveRecoGymConfig({ numProduct: 5 })).toThrow(ConfigError);
    expect(() => resolveRecoGymConfig({ numProduct: 5 })).toThrow(/unknown envConfig key "numProduct"\. Did you mean "numProducts"\?/);
  });

  it('points a Python key to its camelCase name', () => {
    expect(() => resolveRecoGymConfig({ sigma_mu_organic: 1 })).toThrow(/Did you mean "sigmaMuOrganic"\?/);
  });

  it('rejects fewer than one product, naming the value and what was expected', () => {
    expect(() => new RecoGymEnv({ numProducts: 0 })).toThrow(/numProducts must be an integer >= 1, got 0/);
    expect(() => new RecoGymEnv({ numProducts: 2.5 })).toThrow(/numProducts must be an integer >= 1, got 2.5/);
  });

  it('rejects values of the wrong type', () => {
    expect(() => resolveRecoGymConfig({ normalizeBeta: 'yes' })).toThrow(/normalizeBeta must be true or false, got "yes"/);
    expect(() => resolveRecoGymConfig({ probLeaveOrganic: 1.5 })).toThrow(/probLeaveOrganic must be a probability in \[0, 1\], got 1.5/);
  });

  it('rejects transition probabilities that leave no room for the diagonal', () => {
    expect(() => resolveRecoGymConfig({ probOrganicToBandit: 0.995 })).toThrow(/probOrganicToBandit \+ probLeaveOrganic must be <= 1/);
  });

  it('accepts only env_0_args in v0 and needs clusters that divide the catalogue', () => {
    expect(recoGymConfigKeys('v0')).not.toContain('k');
    expect(() => resolveRecoGymConfig({ k: 3 }, 'v0')).toThrow(/RecoGym-v0: unknown envConfig key "k"/);
    expect(() => resolveRecoGymConfig({ numProducts: 9, numClusters: 2 }, 'v0')).toThrow(/must be divisible by numClusters/);
  });
});
