import type { Space } from '../spaces/index.js';

/** Free-form per-step diagnostics an env returns beside the observation (Gymnasium's `info`). */
export type EnvInfo = Record<string, unknown>;

/** Options of `Env.reset` (Gymnasium's keyword arguments). */
export interface ResetOptions {
  /** Re-seeds the env's random stream; omitted means continue the current stream. */
  readonly seed?: number;
  /** Env-specific reset options (e.g. Pendulum's `xInit`). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** What `Env.reset` returns. */
export interface ResetResult<O> {
  readonly obs: O;
  readonly info: EnvInfo;
}

/** What `Env.step` returns; `terminated` (a terminal state, never bootstrapped) and `truncated` (cut, e.g. by a time limit) are distinct. */
export interface StepResult<O> {
  readonly obs: O;
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly info: EnvInfo;
}

/** Registry facts about an env (Gymnasium's `EnvSpec`). */
export interface EnvSpec {
  readonly id: string;
  /** Episodes are truncated after this many steps (by `makeEnv`'s `TimeLimit`); undefined = never. */
  readonly maxEpisodeSteps?: number;
  /** The mean return at which the env counts as solved. */
  readonly rewardThreshold?: number;
}

/**
 * A single environment with Gymnasium semantics: `reset` then `step` until `terminated` or
 * `truncated`. Implementations are synchronous and draw randomness only from seeded streams.
 */
export interface Env<O = unknown, A = unknown> {
  readonly observationSpace: Space<O>;
  readonly actionSpace: Space<A>;
  /** Set by `makeEnv` for registered envs. */
  spec?: EnvSpec;
  reset(options?: ResetOptions): ResetResult<O>;
  step(action: A): StepResult<O>;
  /** Releases resources; optional. */
  close?(): void;
  /**
   * Optional: the env's whole state (physics, step counters, random streams) as plain data. Envs
   * that have it (and `setState`) let a checkpoint continue their episodes bit for bit.
   */
  getState?(): unknown;
  /** Optional: restores what `getState` returned. */
  setState?(state: unknown): void;
}

/** Where an env is being built: passed to env creators beside the `envConfig` (RLlib's `EnvContext`). */
export interface EnvContext {
  /** 0 for the local worker, 1..n for remote rollout workers. */
  readonly workerIndex: number;
  /** Index of this env in its worker's vector. */
  readonly vectorIndex: number;
  /** How many remote rollout workers the set has. */
  readonly numWorkers: number;
  /** True inside a worker thread. */
  readonly remote: boolean;
  /** True when this worker replaced a crashed one. */
  readonly recreatedWorker: boolean;
  /** True for evaluation workers. */
  readonly inEvaluation: boolean;
}

/** The context of an env built directly by user code, outside any worker. */
export const DEFAULT_ENV_CONTEXT: EnvContext = Object.freeze({
  workerIndex: 0,
  vectorIndex: 0,
  numWorkers: 0,
  remote: false,
  recreatedWorker: false,
  inEvaluation: false,
});

/** A function that builds an env from its `envConfig` (plain data) and its context. */
export type EnvCreator<C = Record<string, unknown>> = (envConfig: C, context: EnvContext) => Env<unknown, unknown>;
