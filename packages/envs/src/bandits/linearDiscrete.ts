import { Box, ConfigError, Rng } from '@loomrl/core';
import { type ConfigField, validateEnvConfig } from '../classic/envConfig.js';
import { integerField, nonNegativeField, numberInField } from './banditConfig.js';
import { type BanditOutcome, OneStepBanditEnv } from './oneStepBandit.js';

const NAME = 'LinearDiscrete';
/** Observations lie in [−10, 10] (RLlib's box); contexts never reach it: a normal draw stays within 8.6 σ and σ <= 1. */
const CONTEXT_BOUND = 10;

/** Options of LinearDiscrete's `envConfig` (RLlib's `feature_dim`, `num_actions`, `reward_noise_std`, plus ours). */
export interface LinearDiscreteConfig {
  /** Context length d; default 8 (RLlib's `feature_dim`). Implied by `thetas` when those are given. */
  readonly featureDim?: number;
  /** Number of arms; default 4 (RLlib's `num_actions`). Implied by `thetas` when those are given. */
  readonly numActions?: number;
  /** Standard deviation of the Gaussian noise on every reward; default 0.01 (RLlib's `reward_noise_std`). */
  readonly rewardNoiseStd?: number;
  /** Standard deviation of every context entry, in [0, 1]; default 1/3 (fixed in RLlib). */
  readonly contextStd?: number;
  /**
   * Seed of the arms' parameters; default 0. Every env built with the same `thetaSeed` (on any worker,
   * any reset seed) has the same arms, so one learner can learn from all of them. RLlib draws them
   * from the process-wide NumPy stream instead.
   */
  readonly thetaSeed?: number;
  /** The arms' parameters, one row of `featureDim` numbers per arm, used as given (not normalised); excludes `thetaSeed`. */
  readonly thetas?: readonly (readonly number[])[];
}

const thetasField: ConfigField = {
  expected: 'a non-empty array of equally long, non-empty arrays of finite numbers (one per arm)',
  check: (value) => {
    if (!Array.isArray(value) || value.length === 0) return false;
    const width = Array.isArray(value[0]) ? value[0].length : 0;
    return (
      width > 0 &&
      value.every(
        (row: unknown) => Array.isArray(row) && row.length === width && row.every((v) => typeof v === 'number' && Number.isFinite(v)),
      )
    );
  },
};

const FIELDS: Readonly<Record<keyof LinearDiscreteConfig, ConfigField>> = {
  featureDim: integerField(1),
  numActions: integerField(1),
  rewardNoiseStd: nonNegativeField,
  contextStd: numberInField(0, 1),
  thetaSeed: integerField(0),
  thetas: thetasField,
};

/** Unit-norm arm parameters: entries drawn from U(−1, 1), each row divided by its length (RLlib's draw). */
function drawUnitThetas(numActions: number, featureDim: number, thetaSeed: number): Float64Array {
  const rng = new Rng(`${NAME}/thetas/${thetaSeed}`);
  const thetas = new Float64Array(numActions * featureDim);
  for (let a = 0; a < numActions; a++) {
    const row = thetas.subarray(a * featureDim, (a + 1) * featureDim);
    let squares = 0;
    for (let j = 0; j < featureDim; j++) {
      const v = rng.uniform(-1, 1);
      row[j] = v;
      squares += v * v;
    }
    const norm = Math.sqrt(squares);
    for (let j = 0; j < featureDim; j++) row[j] = (row[j] as number) / norm;
  }
  return thetas;
}

/** The size the `thetas` option implies, checked against explicitly given sizes. */
function thetasShape(config: LinearDiscreteConfig, thetas: readonly (readonly number[])[]): { numActions: number; featureDim: number } {
  if (config.thetaSeed !== undefined) throw new ConfigError(`${NAME}: give envConfig.thetas or envConfig.thetaSeed, not both`);
  const numActions = thetas.length;
  const featureDim = thetas[0]?.length ?? 0;
  for (const [key, implied] of [
    ['numActions', numActions],
    ['featureDim', featureDim],
  ] as const) {
    const given = config[key];
    if (given !== undefined && given !== implied) {
      throw new ConfigError(
        `${NAME}: envConfig.${key} is ${given} but envConfig.thetas is ${numActions} × ${featureDim} (arms × features)`,
      );
    }
  }
  return { numActions, featureDim };
}

/**
 * RLlib's `LinearDiscreteEnv`: linearly parameterised arms. Each context x ∈ ℝᵈ has entries drawn
 * from N(0, σ_x²) (σ_x = 1/3); arm a pays θ_aᵀx + ε with ε ~ N(0, σ²) (σ = 0.01), and θ_a are
 * unit-norm rows drawn once per `thetaSeed`. `info.regret` is the expected regret
 * maxⱼ θⱼᵀx − θ_aᵀx (no noise), `info.optAction` the arm attaining the maximum (the first on a tie).
 * Rewards are computed from the float32 observation, so θ and the observation give them exactly.
 * Each step draws the noise of every arm, then the next context, so the contexts do not depend on the actions.
 */
export class LinearDiscreteEnv extends OneStepBanditEnv {
  readonly observationSpace: Box;
  /** Context length d. */
  readonly featureDim: number;
  /** Number of arms. */
  readonly numActions: number;
  /** Standard deviation of the reward noise. */
  readonly rewardNoiseStd: number;
  /** Standard deviation of every context entry. */
  readonly contextStd: number;
  private readonly thetaValues: Float64Array;

  /** A LinearDiscrete env; see `LinearDiscreteConfig` for the options. */
  constructor(envConfig: LinearDiscreteConfig = {}) {
    validateEnvConfig(NAME, envConfig, FIELDS);
    const given = envConfig.thetas;
    const shape =
      given === undefined
        ? { numActions: envConfig.numActions ?? 4, featureDim: envConfig.featureDim ?? 8 }
        : thetasShape(envConfig, given);
    super(NAME, shape.numActions);
    this.numActions = shape.numActions;
    this.featureDim = shape.featureDim;
    this.rewardNoiseStd = envConfig.rewardNoiseStd ?? 0.01;
    this.contextStd = envConfig.contextStd ?? 1 / 3;
    this.thetaValues =
      given === undefined ? drawUnitThetas(this.numActions, this.featureDim, envConfig.thetaSeed ?? 0) : Float64Array.from(given.flat());
    this.observationSpace = new Box({ low: -CONTEXT_BOUND, high: CONTEXT_BOUND, shape: [this.featureDim], dtype: 'float32' });
  }

  /** The arms' parameters θ, one row per arm (a copy). */
  get thetas(): number[][] {
    return Array.from({ length: this.numActions }, (_, a) =>
      Array.from(this.thetaValues.subarray(a * this.featureDim, (a + 1) * this.featureDim)),
    );
  }

  protected drawContext(rng: Rng): Float32Array {
    const context = new Float32Array(this.featureDim);
    for (let j = 0; j < this.featureDim; j++) context[j] = this.contextStd * rng.normal();
    return context;
  }

  protected outcome(context: Float32Array, action: number, rng: Rng): BanditOutcome {
    const d = this.featureDim;
    let best = Number.NEGATIVE_INFINITY;
    let optAction = 0;
    let reward = 0;
    let chosenMean = 0;
    for (let a = 0; a < this.numActions; a++) {
      let mean = 0;
      for (let j = 0; j < d; j++) mean += (this.thetaValues[a * d + j] as number) * (context[j] as number);
      if (mean > best) {
        best = mean;
        optAction = a;
      }
      const noisy = mean + this.rewardNoiseStd * rng.normal();
      if (a === action) {
        chosenMean = mean;
        reward = noisy;
      }
    }
    return { reward, regret: best - chosenMean, optAction };
  }
}
