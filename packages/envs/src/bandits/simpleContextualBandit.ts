import { Box, type Rng } from '@loomrl/core';
import { validateEnvConfig } from '../classic/envConfig.js';
import { type BanditOutcome, OneStepBanditEnv } from './oneStepBandit.js';

const NAME = 'SimpleContextualBandit';
/** Rewards of arms 0, 1, 2 for context 1 (`[1, −1]`) and for context −1 (`[−1, 1]`), as RLlib's table. */
const REWARDS_FOR_POSITIVE_CONTEXT = [10, 0, -10] as const;
const REWARDS_FOR_NEGATIVE_CONTEXT = [-10, 0, 10] as const;
const BEST_REWARD = 10;

/** Keys of SimpleContextualBandit's `envConfig`: none (RLlib's env takes no options). */
export type SimpleContextualBanditConfig = Readonly<Record<string, never>>;

/**
 * RLlib's `SimpleContextualBandit`: two contexts, `[1, −1]` and `[−1, 1]`, drawn with equal
 * probability, and 3 arms. For context c = obs[0], arm 0 pays 10·c, arm 1 pays 0 and arm 2 pays −10·c,
 * so the best arm is 0 for c = 1 and 2 for c = −1 and the best mean return is 10.
 * `info.regret` is 10 − reward (as RLlib's), `info.optAction` the best arm. Like RLlib's, the
 * observation `step` returns is the other context (`[−c, c]`).
 */
export class SimpleContextualBanditEnv extends OneStepBanditEnv {
  readonly observationSpace = new Box({ low: -1, high: 1, shape: [2], dtype: 'float32' });

  /** A SimpleContextualBandit; `envConfig` must be empty. */
  constructor(envConfig: SimpleContextualBanditConfig = {}) {
    super(NAME, REWARDS_FOR_POSITIVE_CONTEXT.length);
    validateEnvConfig(NAME, envConfig, {});
  }

  protected drawContext(rng: Rng): Float32Array {
    const c = rng.random() < 0.5 ? -1 : 1;
    return Float32Array.of(c, -c);
  }

  protected outcome(context: Float32Array, action: number): BanditOutcome {
    const positive = (context[0] as number) > 0;
    const reward = (positive ? REWARDS_FOR_POSITIVE_CONTEXT : REWARDS_FOR_NEGATIVE_CONTEXT)[action] as number;
    return { reward, regret: BEST_REWARD - reward, optAction: positive ? 0 : 2 };
  }

  protected override nextContext(previous: Float32Array): Float32Array {
    return Float32Array.of(-(previous[0] as number), -(previous[1] as number));
  }
}
