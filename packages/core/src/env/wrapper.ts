import { ConfigError } from '../errors.js';
import type { Space } from '../spaces/index.js';
import type { Env, EnvSpec, ResetOptions, ResetResult, StepResult } from './env.js';

/**
 * Base of env wrappers: forwards everything to the inner env. Subclasses override what they change
 * (Gymnasium's `Wrapper`).
 */
export class Wrapper<O = unknown, A = unknown, IO = O, IA = A> implements Env<O, A> {
  /** The wrapped env. */
  readonly env: Env<IO, IA>;

  /** Wraps `env`. */
  constructor(env: Env<IO, IA>) {
    this.env = env;
  }

  get observationSpace(): Space<O> {
    return this.env.observationSpace as unknown as Space<O>;
  }

  get actionSpace(): Space<A> {
    return this.env.actionSpace as unknown as Space<A>;
  }

  get spec(): EnvSpec | undefined {
    return this.env.spec;
  }

  set spec(spec: EnvSpec | undefined) {
    this.env.spec = spec;
  }

  reset(options?: ResetOptions): ResetResult<O> {
    return this.env.reset(options) as unknown as ResetResult<O>;
  }

  step(action: A): StepResult<O> {
    return this.env.step(action as unknown as IA) as unknown as StepResult<O>;
  }

  close(): void {
    this.env.close?.();
  }

  /** The inner env's state (see `Env.getState`); undefined when it has none. */
  getState(): unknown {
    return this.env.getState?.();
  }

  /** Restores the inner env's state. */
  setState(state: unknown): void {
    this.env.setState?.(state);
  }

  /** Whether this env (and every env it wraps) can report and restore its state. */
  get hasState(): boolean {
    return (
      typeof this.env.getState === 'function' &&
      typeof this.env.setState === 'function' &&
      (!(this.env instanceof Wrapper) || this.env.hasState)
    );
  }

  /** The innermost env under all wrappers. */
  get unwrapped(): Env<unknown, unknown> {
    let env: Env<unknown, unknown> = this.env as Env<unknown, unknown>;
    while (env instanceof Wrapper) env = env.env as Env<unknown, unknown>;
    return env;
  }
}

/** Truncates episodes after `maxEpisodeSteps` steps (Gymnasium's `TimeLimit`); the inner env never truncates for time. */
export class TimeLimit<O, A> extends Wrapper<O, A> {
  readonly maxEpisodeSteps: number;
  private elapsedSteps = 0;

  /** Wraps `env` with a limit of `maxEpisodeSteps` ≥ 1. */
  constructor(env: Env<O, A>, maxEpisodeSteps: number) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) {
      throw new ConfigError(`TimeLimit: maxEpisodeSteps must be an integer >= 1, got ${maxEpisodeSteps}`);
    }
    this.maxEpisodeSteps = maxEpisodeSteps;
  }

  override reset(options?: ResetOptions): ResetResult<O> {
    this.elapsedSteps = 0;
    return super.reset(options);
  }

  override getState(): unknown {
    return { elapsedSteps: this.elapsedSteps, inner: super.getState() };
  }

  override setState(state: unknown): void {
    const { elapsedSteps, inner } = state as { elapsedSteps: number; inner: unknown };
    this.elapsedSteps = elapsedSteps;
    super.setState(inner);
  }

  override step(action: A): StepResult<O> {
    const result = super.step(action);
    this.elapsedSteps += 1;
    if (this.elapsedSteps >= this.maxEpisodeSteps && !result.truncated) {
      return { ...result, truncated: true };
    }
    return result;
  }
}

/** Whether `env` (through all its wrappers) implements `getState` and `setState`. */
export function envHasState(env: Env<unknown, unknown>): boolean {
  if (env instanceof Wrapper) return env.hasState;
  return typeof env.getState === 'function' && typeof env.setState === 'function';
}
