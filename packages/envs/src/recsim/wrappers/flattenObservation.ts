import { Box, type Env, type ResetOptions, type ResetResult, type Space, type StepResult, Wrapper } from '@loomrl/core';
import { flatBounds } from '../framework/spaceValues.js';

/**
 * Flattens structured observations into one `Float32Array` with the inner space's `flatten`
 * (Discrete entries one-hot), so an MLP can read them; the space becomes a 1-D Box with the
 * entries' bounds.
 */
export class RecSimFlattenObservation<O, A> extends Wrapper<Float32Array, A, O, A> {
  private readonly space: Box;

  /** Wraps `env`. */
  constructor(env: Env<O, A>) {
    super(env);
    const { low, high } = flatBounds(env.observationSpace as Space<unknown>);
    this.space = new Box({ low, high, shape: [env.observationSpace.flatDim] });
  }

  override get observationSpace(): Space<Float32Array> {
    return this.space as unknown as Space<Float32Array>;
  }

  override reset(options?: ResetOptions): ResetResult<Float32Array> {
    const { obs, info } = this.env.reset(options);
    return { obs: this.env.observationSpace.flatten(obs), info };
  }

  override step(action: A): StepResult<Float32Array> {
    const result = this.env.step(action);
    return { ...result, obs: this.env.observationSpace.flatten(result.obs) };
  }
}
