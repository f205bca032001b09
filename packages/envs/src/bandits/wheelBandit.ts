import { Box, type Rng } from '@loomrl/core';
import { type ConfigField, finiteNumberField, validateEnvConfig } from '../classic/envConfig.js';
import { nonNegativeField, numberInField } from './banditConfig.js';
import { type BanditOutcome, OneStepBanditEnv } from './oneStepBandit.js';

const NAME = 'WheelBandit';
const NUM_ACTIONS = 5;

/** Options of WheelBandit's `envConfig` (RLlib's `delta`, `mu_1`, `mu_2`, `mu_3`, `std`). */
export interface WheelBanditConfig {
  /** Radius of the inner disk, in [0, 1]; default 0.5. */
  readonly delta?: number;
  /** Mean reward of arm 0; default 1.2. */
  readonly mu1?: number;
  /** Mean reward of arms 1–4 outside their quadrant (and everywhere inside the inner disk); default 1. */
  readonly mu2?: number;
  /** Mean reward of the quadrant's arm outside the inner disk; default 50. */
  readonly mu3?: number;
  /** Standard deviation of every reward; default 0.01. */
  readonly std?: number;
}

const FIELDS: Readonly<Record<keyof WheelBanditConfig, ConfigField>> = {
  delta: numberInField(0, 1),
  mu1: finiteNumberField(),
  mu2: finiteNumberField(),
  mu3: finiteNumberField(),
  std: nonNegativeField,
};

/** The quadrant's arm for a context outside the inner disk: 1 (x>0, y>0), 2 (x≤0, y>0), 3 (x≤0, y≤0), 4 (x>0, y≤0). */
function quadrantArm(x: number, y: number): number {
  if (x > 0) return y > 0 ? 1 : 4;
  return y > 0 ? 2 : 3;
}

/**
 * RLlib's `WheelBanditEnv` (Riquelme et al. 2018, "Deep Bayesian Bandits Showdown"): contexts are
 * uniform in the unit disk; 5 arms. Every arm j pays N(μⱼ, σ²) with μ₀ = mu1 and μ₁..₄ = mu2, except
 * that when ‖x‖ ≥ δ the arm of x's quadrant (see `quadrantArm`) pays N(mu3, σ²) instead and is
 * `optAction`; inside the disk `optAction` is arm 0 (RLlib's definition: the best arms for the default
 * means, whatever means are configured). As in RLlib, `info.regret` is the *realised* regret: the
 * best arm's drawn reward minus the chosen arm's drawn reward, from the same draws (so it is exactly 0
 * for the best arm and may be slightly negative by noise when mu1 ≈ mu2). Each step draws every
 * arm's reward, then the next context, so the contexts do not depend on the actions.
 */
export class WheelBanditEnv extends OneStepBanditEnv {
  readonly observationSpace = new Box({ low: -1, high: 1, shape: [2], dtype: 'float32' });
  /** Radius of the inner disk. */
  readonly delta: number;
  /** Mean rewards of arms 0..4 away from the quadrant arm: [mu1, mu2, mu2, mu2, mu2]. */
  readonly means: readonly number[];
  /** Mean reward of the quadrant arm outside the inner disk. */
  readonly mu3: number;
  /** Standard deviation of every reward. */
  readonly std: number;

  /** A WheelBandit; see `WheelBanditConfig` for the options. */
  constructor(envConfig: WheelBanditConfig = {}) {
    super(NAME, NUM_ACTIONS);
    validateEnvConfig(NAME, envConfig, FIELDS);
    this.delta = envConfig.delta ?? 0.5;
    const mu2 = envConfig.mu2 ?? 1;
    this.means = Object.freeze([envConfig.mu1 ?? 1.2, mu2, mu2, mu2, mu2]);
    this.mu3 = envConfig.mu3 ?? 50;
    this.std = envConfig.std ?? 0.01;
  }

  /** Uniform in the unit disk, by rejection from the square [−1, 1)², tested on the float32 values. */
  protected drawContext(rng: Rng): Float32Array {
    const context = new Float32Array(2);
    do {
      context[0] = rng.uniform(-1, 1);
      context[1] = rng.uniform(-1, 1);
    } while (Math.hypot(context[0] as number, context[1] as number) > 1);
    return context;
  }

  protected outcome(context: Float32Array, action: number, rng: Rng): BanditOutcome {
    const rewards = this.means.map((mean) => mean + this.std * rng.normal());
    const big = this.mu3 + this.std * rng.normal();
    const x = context[0] as number;
    const y = context[1] as number;
    let optAction = 0;
    if (Math.hypot(x, y) >= this.delta) {
      optAction = quadrantArm(x, y);
      rewards[optAction] = big;
    }
    const reward = rewards[action] as number;
    return { reward, regret: (rewards[optAction] as number) - reward, optAction };
  }
}
