import {
  ActionError,
  Box,
  type BoxArray,
  ConfigError,
  DEFAULT_ENV_CONTEXT,
  Discrete,
  type Env,
  type EnvContext,
  EnvError,
  type EnvSpec,
  type ResetOptions,
  type ResetResult,
  type StepResult,
} from '@loomrl/core';
import { type RecoGymConfig, type RecoGymVersion, resolveRecoGymConfig } from './config.js';
import { RecoGymEnv } from './env.js';
import type { RecoGymObservation } from './types.js';
import type { RecoGymWorldParameters } from './world.js';

/** What the LoomRL face observes: the user's organic view counts so far, or their frequencies. */
export type RecoGymObservationFeatures = 'counts' | 'frequencies';

/** The `envConfig` of the registered `RecoGym-v1` / `RecoGym-v0` envs: RecoGym's config plus the observation's form. */
export interface RecoGymLoomConfig extends RecoGymConfig {
  /** `'counts'` (default; RecoGym's `ViewsFeaturesProvider`) or `'frequencies'` (counts / Σcounts). */
  readonly observationFeatures?: RecoGymObservationFeatures;
  /** A v1 world (Γ, μ_organic) to use instead of drawing one (see `RecoGymEnvOptions.world`); plain arrays cross threads. */
  readonly world?: RecoGymWorldParameters;
}

function userStreamOf(context: EnvContext): Array<string | number> {
  const first = context.workerIndex === 0 && context.vectorIndex === 0 && !context.inEvaluation;
  if (first) return [];
  return [context.inEvaluation ? 'eval' : 'worker', context.workerIndex, 'env', context.vectorIndex];
}

/**
 * RecoGym as a standard LoomRL `Env`: an episode is one user's bandit phase. The observation is a
 * fixed-size vector over products with the user's organic history (view counts or frequencies);
 * the action is a product (`Discrete(P)`); the reward is the click. `reset` starts the next user
 * and plays their first organic session; users who leave during it (no impression at all) are
 * skipped. The world comes from `randomSeed` (so every worker sees the same products); the user
 * stream differs per worker and env index, and `reset({ seed })` re-seeds it.
 */
export class RecoGymLoomEnv implements Env<BoxArray, number> {
  readonly observationSpace: Box;
  readonly actionSpace: Discrete;
  spec?: EnvSpec;
  /** The underlying RecoGym env (its own API). */
  readonly recoGym: RecoGymEnv;
  private readonly features: RecoGymObservationFeatures;
  private readonly counts: Float64Array;
  private total = 0;
  private nextUser = 0;
  private active = false;

  /** Builds `RecoGym-<version>` from a plain-data `envConfig`. */
  constructor(version: RecoGymVersion, envConfig: Readonly<Record<string, unknown>> = {}, context: EnvContext = DEFAULT_ENV_CONTEXT) {
    const { observationFeatures = 'counts', world, ...config } = envConfig as RecoGymLoomConfig;
    resolveRecoGymConfig(config as Record<string, unknown>, version, ['observationFeatures']);
    if (observationFeatures !== 'counts' && observationFeatures !== 'frequencies') {
      throw new ConfigError(
        `RecoGym-${version}: envConfig.observationFeatures must be "counts" or "frequencies", got ${JSON.stringify(observationFeatures)}`,
      );
    }
    this.features = observationFeatures;
    this.recoGym = new RecoGymEnv(config, { version, userStream: userStreamOf(context), ...(world === undefined ? {} : { world }) });
    const p = this.recoGym.numProducts;
    this.counts = new Float64Array(p);
    this.observationSpace = new Box({
      low: 0,
      high: observationFeatures === 'counts' ? Number.POSITIVE_INFINITY : 1,
      shape: [p],
      dtype: 'float32',
    });
    this.actionSpace = new Discrete(p);
  }

  reset(options: ResetOptions = {}): ResetResult<BoxArray> {
    if (options.seed !== undefined) {
      this.recoGym.reseed(options.seed);
      this.nextUser = 0;
    }
    this.counts.fill(0);
    this.total = 0;
    let skipped = 0;
    for (;;) {
      const user = this.nextUser++;
      this.recoGym.reset(user);
      const first = this.recoGym.step(null);
      if (!first.done) {
        this.observe(first.observation);
        break;
      }
      skipped++;
    }
    this.active = true;
    return { obs: this.featureVector(), info: { user: this.recoGym.currentUser, skippedUsers: skipped } };
  }

  step(action: number): StepResult<BoxArray> {
    if (!this.active) throw new EnvError('RecoGymLoomEnv.step: call reset() first (the previous user has left)');
    if (!this.actionSpace.contains(action)) {
      throw new ActionError(
        `RecoGym: action must be a product in ${this.actionSpace.toString()} (an integer in [0, ${this.actionSpace.n - 1}]), got ${JSON.stringify(action) ?? String(action)}`,
      );
    }
    const result = this.recoGym.step(action);
    this.observe(result.observation);
    if (result.done) this.active = false;
    return {
      obs: this.featureVector(),
      reward: result.reward ?? 0,
      terminated: result.done,
      truncated: false,
      info: { organicViews: result.observation.sessions.length },
    };
  }

  private observe(observation: RecoGymObservation): void {
    for (const event of observation.sessions) {
      this.counts[event.v] = (this.counts[event.v] ?? 0) + 1;
      this.total++;
    }
  }

  private featureVector(): Float32Array {
    const out = new Float32Array(this.counts.length);
    const scale = this.features === 'frequencies' && this.total > 0 ? 1 / this.total : 1;
    for (let i = 0; i < out.length; i++) out[i] = (this.counts[i] ?? 0) * scale;
    return out;
  }
}
