import {
  assertActionInSpace,
  type Box,
  type BoxArray,
  Discrete,
  type Env,
  EnvError,
  type EnvSpec,
  type ResetOptions,
  type ResetResult,
  type Rng,
  type StepResult,
} from '@loomrl/core';
import { resetRng } from '../classic/seeding.js';

/** What a bandit env's `step` reports in `info` (RLlib's `regret` and `opt_action`). */
export interface BanditStepInfo {
  /** The best arm's reward minus the chosen arm's, by the env's own definition (see each env). */
  readonly regret: number;
  /** The arm with the highest expected reward for the context the step was taken in. */
  readonly optAction: number;
}

/** The reward and regret of pulling one arm in one context. */
export interface BanditOutcome extends BanditStepInfo {
  readonly reward: number;
}

/**
 * A contextual bandit as a Gymnasium env (RLlib's bandit example envs): `reset` draws a context,
 * `step(arm)` pays for the arm in that context and ends the episode (`terminated: true`). The
 * observation `step` returns is the next context, which a further `step` without `reset` would be
 * scored on, as in RLlib. All randomness comes from the stream that `reset({ seed })` seeds.
 */
export abstract class OneStepBanditEnv implements Env<BoxArray, number> {
  abstract readonly observationSpace: Box;
  readonly actionSpace: Discrete;
  spec?: EnvSpec;
  private rng: Rng | undefined;
  private current: Float32Array | undefined;

  protected constructor(
    private readonly name: string,
    numActions: number,
  ) {
    this.actionSpace = new Discrete(numActions);
  }

  /** A copy of the context the next `step` is scored on; undefined before the first reset. */
  get context(): Float32Array | undefined {
    return this.current?.slice();
  }

  /** Draws a fresh context; takes no reset options. */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.rng = resetRng(this.rng, options?.seed, this.name);
    const keys = Object.keys(options?.options ?? {});
    if (keys.length > 0) throw new EnvError(`${this.name}.reset: unknown option "${keys[0]}" (this env takes no reset options)`);
    this.current = this.drawContext(this.rng);
    return { obs: this.current.slice(), info: {} };
  }

  /** Pulls arm `action` in the current context; every episode is this one step. */
  step(action: number): StepResult<Float32Array> {
    assertActionInSpace(action, this.actionSpace, `${this.name}.step`);
    const context = this.current;
    const rng = this.rng;
    if (context === undefined || rng === undefined) throw new EnvError(`${this.name}.step: call reset() before step()`);
    const { reward, regret, optAction } = this.outcome(context, action, rng);
    this.current = this.nextContext(context, rng);
    return { obs: this.current.slice(), reward, terminated: true, truncated: false, info: { regret, optAction } };
  }

  /** A context drawn from the env's context distribution. */
  protected abstract drawContext(rng: Rng): Float32Array;

  /** The reward, regret and best arm of pulling `action` in `context`. */
  protected abstract outcome(context: Float32Array, action: number, rng: Rng): BanditOutcome;

  /** The context after a step; a fresh draw unless an env says otherwise. */
  protected nextContext(_previous: Float32Array, rng: Rng): Float32Array {
    return this.drawContext(rng);
  }
}
