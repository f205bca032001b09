import { ConfigError } from '@loomrl/core';
import { didYouMean } from '@loomrl/core/internal';

/** Which RecoGym environment: `v1` (latent user vectors) or `v0` (the simple clustered one). */
export type RecoGymVersion = 'v0' | 'v1';

/** How the clock of a user advances: one tick per transition, or |N(mu, sigma²)| per transition. */
export type RecoGymTimeGenerator = 'unit' | 'normal';

/**
 * The `envConfig` of RecoGym: RecoGym's `env_1_args` in camelCase, all optional. The Python name
 * of each field is in `RECOGYM_PYTHON_NAMES`.
 */
export interface RecoGymConfig {
  /** P, the number of products (and actions). Default 10. */
  readonly numProducts?: number;
  /** Unused by the dynamics, kept for parity. Default 100. */
  readonly numUsers?: number;
  /** Seed of the world and of the user stream. Default 42 (RecoGym draws one at import time). */
  readonly randomSeed?: number;
  /** Unused: RecoGym's bandit row leaves with `probLeaveOrganic` (a quirk kept on purpose). Default 0.01. */
  readonly probLeaveBandit?: number;
  /** Probability of leaving per transition, from organic and from bandit. Default 0.01. */
  readonly probLeaveOrganic?: number;
  /** Probability of going from bandit to organic. Default 0.05. */
  readonly probBanditToOrganic?: number;
  /** Probability of going from organic to bandit. Default 0.25. */
  readonly probOrganicToBandit?: number;
  /** L2-normalise the rows of beta (v1). Default false. */
  readonly normalizeBeta?: boolean;
  /** The logging policy also returns the full propensity vector `psA`. Default false. */
  readonly withPsAll?: boolean;
  /** Number of product clusters (v0 only). Default 2. */
  readonly numClusters?: number;
  /** Variance of the click-matrix noise φ (v0 only; φ ~ N(0, phiVar), standard deviation √phiVar). Default 0.1. */
  readonly phiVar?: number;
  /** K, the latent dimension (Python `K`). Default 5. */
  readonly k?: number;
  /** Std of a new user's latent vector ω. Default 1. */
  readonly sigmaOmegaInitial?: number;
  /** Std of ω's random-walk step per time unit. Default 0.1. */
  readonly sigmaOmega?: number;
  /** How many product pairs swap their bandit embedding. Default 0. */
  readonly numberOfFlips?: number;
  /** Std of the product popularity offsets μ. Default 3. */
  readonly sigmaMuOrganic?: number;
  /** ω also drifts on transitions that do not land in organic. Default false. */
  readonly changeOmegaForBandits?: boolean;
  /** The clock: `'unit'` (default) or `'normal'` (RecoGym's `NormalTimeGenerator`). */
  readonly timeGenerator?: RecoGymTimeGenerator;
  /** Mean of a normal clock tick. Default 0. */
  readonly normalTimeMu?: number;
  /** Std of a normal clock tick. Default 1. */
  readonly normalTimeSigma?: number;
}

/** A RecoGym config with every field filled in. */
export type ResolvedRecoGymConfig = { readonly [K in keyof RecoGymConfig]-?: NonNullable<RecoGymConfig[K]> };

/** RecoGym's defaults (`env_1_args`), except `randomSeed`, which RecoGym draws at import time. */
export const RECOGYM_DEFAULTS: ResolvedRecoGymConfig = Object.freeze({
  numProducts: 10,
  numUsers: 100,
  randomSeed: 42,
  probLeaveBandit: 0.01,
  probLeaveOrganic: 0.01,
  probBanditToOrganic: 0.05,
  probOrganicToBandit: 0.25,
  normalizeBeta: false,
  withPsAll: false,
  numClusters: 2,
  phiVar: 0.1,
  k: 5,
  sigmaOmegaInitial: 1,
  sigmaOmega: 0.1,
  numberOfFlips: 0,
  sigmaMuOrganic: 3,
  changeOmegaForBandits: false,
  timeGenerator: 'unit',
  normalTimeMu: 0,
  normalTimeSigma: 1,
});

/** Our camelCase config field → RecoGym's Python key. */
export const RECOGYM_PYTHON_NAMES: Readonly<Record<keyof RecoGymConfig, string>> = Object.freeze({
  numProducts: 'num_products',
  numUsers: 'num_users',
  randomSeed: 'random_seed',
  probLeaveBandit: 'prob_leave_bandit',
  probLeaveOrganic: 'prob_leave_organic',
  probBanditToOrganic: 'prob_bandit_to_organic',
  probOrganicToBandit: 'prob_organic_to_bandit',
  normalizeBeta: 'normalize_beta',
  withPsAll: 'with_ps_all',
  numClusters: 'num_clusters',
  phiVar: 'phi_var',
  k: 'K',
  sigmaOmegaInitial: 'sigma_omega_initial',
  sigmaOmega: 'sigma_omega',
  numberOfFlips: 'number_of_flips',
  sigmaMuOrganic: 'sigma_mu_organic',
  changeOmegaForBandits: 'change_omega_for_bandits',
  timeGenerator: 'time_generator',
  normalTimeMu: 'normal_time_mu',
  normalTimeSigma: 'normal_time_sigma',
});

const V1_ONLY: ReadonlySet<string> = new Set([
  'k',
  'sigmaOmegaInitial',
  'sigmaOmega',
  'numberOfFlips',
  'sigmaMuOrganic',
  'changeOmegaForBandits',
  'timeGenerator',
  'normalTimeMu',
  'normalTimeSigma',
]);

/** The config keys a version accepts (v0 takes RecoGym's `env_0_args`, v1 its `env_1_args`). */
export function recoGymConfigKeys(version: RecoGymVersion): string[] {
  const all = Object.keys(RECOGYM_DEFAULTS);
  return version === 'v1' ? all : all.filter((key) => !V1_ONLY.has(key));
}

type Check = (value: unknown) => string | undefined;

const integerAtLeast =
  (min: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min ? undefined : `an integer >= ${min}`;
const nonNegative: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'a finite number >= 0');
const finite: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'a finite number');
const probability: Check = (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'a probability in [0, 1]');
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');
const clock: Check = (v) => (v === 'unit' || v === 'normal' ? undefined : '"unit" or "normal"');

const CHECKS: Readonly<Record<keyof RecoGymConfig, Check>> = {
  numProducts: integerAtLeast(1),
  numUsers: integerAtLeast(0),
  randomSeed: integerAtLeast(0),
  probLeaveBandit: probability,
  probLeaveOrganic: probability,
  probBanditToOrganic: probability,
  probOrganicToBandit: probability,
  normalizeBeta: boolean,
  withPsAll: boolean,
  numClusters: integerAtLeast(1),
  phiVar: nonNegative,
  k: integerAtLeast(1),
  sigmaOmegaInitial: nonNegative,
  sigmaOmega: nonNegative,
  numberOfFlips: integerAtLeast(0),
  sigmaMuOrganic: nonNegative,
  changeOmegaForBandits: boolean,
  timeGenerator: clock,
  normalTimeMu: finite,
  normalTimeSigma: nonNegative,
};

/**
 * Fills in defaults and validates a RecoGym config. Throws a `ConfigError` naming the key, the
 * value and what was expected; unknown keys get a did-you-mean. `extraKeys` are accepted and
 * left to the caller (e.g. the LoomRL face's own options).
 */
export function resolveRecoGymConfig(
  config: Readonly<Record<string, unknown>> = {},
  version: RecoGymVersion = 'v1',
  extraKeys: readonly string[] = [],
): ResolvedRecoGymConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(
      `RecoGym-${version}: envConfig must be a plain object, got ${Array.isArray(config) ? 'an array' : typeof config}`,
    );
  }
  const allowed = recoGymConfigKeys(version);
  const known = [...allowed, ...extraKeys];
  for (const key of Object.keys(config)) {
    if (known.includes(key)) continue;
    const pythonMatch = Object.entries(RECOGYM_PYTHON_NAMES).find(([, py]) => py === key)?.[0];
    const hint = pythonMatch !== undefined && known.includes(pythonMatch) ? ` Did you mean "${pythonMatch}"?` : didYouMean(key, known);
    throw new ConfigError(`RecoGym-${version}: unknown envConfig key "${key}".${hint} Known keys: ${known.join(', ')}.`);
  }
  const resolved: Record<string, unknown> = { ...RECOGYM_DEFAULTS };
  for (const key of allowed) {
    const value = config[key];
    if (value === undefined) continue;
    const expected = CHECKS[key as keyof RecoGymConfig](value);
    if (expected !== undefined) {
      throw new ConfigError(`RecoGym-${version}: envConfig.${key} must be ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
    }
    resolved[key] = value;
  }
  const out = resolved as ResolvedRecoGymConfig;
  checkConsistency(out, version);
  return Object.freeze(out);
}

function checkConsistency(config: ResolvedRecoGymConfig, version: RecoGymVersion): void {
  const prefix = `RecoGym-${version}: envConfig`;
  if (config.probOrganicToBandit + config.probLeaveOrganic > 1) {
    throw new ConfigError(
      `${prefix}.probOrganicToBandit + probLeaveOrganic must be <= 1, got ${config.probOrganicToBandit} + ${config.probLeaveOrganic}`,
    );
  }
  if (config.probBanditToOrganic + config.probLeaveOrganic > 1) {
    throw new ConfigError(
      `${prefix}.probBanditToOrganic + probLeaveOrganic must be <= 1, got ${config.probBanditToOrganic} + ${config.probLeaveOrganic}`,
    );
  }
  if (version === 'v0' && config.numProducts % config.numClusters !== 0) {
    throw new ConfigError(
      `${prefix}.numProducts (${config.numProducts}) must be divisible by numClusters (${config.numClusters}) in RecoGym-v0`,
    );
  }
  if (version === 'v1' && config.numberOfFlips > config.numProducts) {
    throw new ConfigError(`${prefix}.numberOfFlips must be <= numProducts (${config.numProducts}), got ${config.numberOfFlips}`);
  }
}
