import { ActionError, Discrete, type Env, type Space, type StepResult, Wrapper } from '@loomrl/core';
import { describeValue } from '@loomrl/core/internal';
import { slateFromIndex } from './slateIndex.js';

/**
 * Replaces a `MultiDiscrete([C]*S)` slate action space with `Discrete(C^S)` (RLlib's
 * `convert_to_discrete_action_space`); index a decodes least-significant position first.
 */
export class RecSimDiscreteActionWrapper<O> extends Wrapper<O, number, O, ArrayLike<number>> {
  /** C. */
  readonly numCandidates: number;
  /** S. */
  readonly slateSize: number;
  private readonly discrete: Discrete;

  /** Wraps an env whose action space is `MultiDiscrete([C]*S)`. */
  constructor(env: Env<O, ArrayLike<number>>) {
    super(env);
    const space = env.actionSpace as unknown as { type: string; nvec?: readonly number[] };
    const nvec = space.nvec;
    if (space.type !== 'MultiDiscrete' || nvec === undefined || nvec.some((n) => n !== nvec[0])) {
      throw new ActionError(`RecSimDiscreteActionWrapper needs a MultiDiscrete([C, …, C]) action space, got ${env.actionSpace.toString()}`);
    }
    this.numCandidates = nvec[0] as number;
    this.slateSize = nvec.length;
    const n = this.numCandidates ** this.slateSize;
    if (!Number.isSafeInteger(n) || n > 2 ** 31 - 1) {
      throw new ActionError(`RecSimDiscreteActionWrapper: C^S = ${this.numCandidates}^${this.slateSize} is too many actions for Discrete`);
    }
    this.discrete = new Discrete(n);
  }

  override get actionSpace(): Space<number> {
    return this.discrete;
  }

  override step(action: number): StepResult<O> {
    if (!this.discrete.contains(action)) {
      throw new ActionError(`RecSimDiscreteActionWrapper.step: action ${describeValue(action)} is not in ${this.discrete.toString()}`);
    }
    return this.env.step(slateFromIndex(action, this.numCandidates, this.slateSize));
  }
}
