import { Box, Dict, type Env, EnvError, type ResetOptions, type ResetResult, type Space, type StepResult, Wrapper } from '@loomrl/core';
import type { RecSimObservation } from '../framework/recsimEnv.js';
import { flatBounds } from '../framework/spaceValues.js';

/** The observation of `RecSimBanditObservationWrapper`: the C document feature rows stacked, row-major. */
export interface RecSimBanditObservation {
  /** C × E features, row k is document "k" flattened. */
  readonly item: Float32Array;
}

/**
 * Stacks the document observations into one `item` matrix of shape [C, E] and drops user and
 * response, as RLlib's gymnasium `RecSimObservationBanditWrapper` does (`wrap_for_bandits`).
 * Dict-valued documents (Interest Exploration) are flattened first instead of failing.
 */
export class RecSimBanditObservationWrapper<A> extends Wrapper<RecSimBanditObservation, A, RecSimObservation, A> {
  private readonly space: Space<RecSimBanditObservation>;
  private readonly documentSpace: Space<unknown>;
  private readonly numCandidates: number;
  private readonly keys: readonly string[];

  /** Wraps an env with RecSim's observation structure. */
  constructor(env: Env<RecSimObservation, A>) {
    super(env);
    const docs = (env.observationSpace as unknown as { spaces?: { doc?: { spaces?: Record<string, Space<unknown>> } } }).spaces?.doc
      ?.spaces;
    const keys = docs === undefined ? [] : Object.keys(docs);
    const first = docs?.[keys[0] ?? ''];
    if (docs === undefined || first === undefined) {
      throw new EnvError(
        `RecSimBanditObservationWrapper needs an observation space Dict(user, doc, response), got ${env.observationSpace.toString()}`,
      );
    }
    this.documentSpace = first;
    this.numCandidates = keys.length;
    this.keys = keys;
    const bounds = flatBounds(first);
    const low: number[] = [];
    const high: number[] = [];
    for (let k = 0; k < keys.length; k++) {
      low.push(...bounds.low);
      high.push(...bounds.high);
    }
    this.space = new Dict({
      item: new Box({ low, high, shape: [this.numCandidates, first.flatDim] }),
    }) as unknown as Space<RecSimBanditObservation>;
  }

  override get observationSpace(): Space<RecSimBanditObservation> {
    return this.space;
  }

  override reset(options?: ResetOptions): ResetResult<RecSimBanditObservation> {
    const { obs, info } = this.env.reset(options);
    return { obs: this.stack(obs), info };
  }

  override step(action: A): StepResult<RecSimBanditObservation> {
    const result = this.env.step(action);
    return { ...result, obs: this.stack(result.obs) };
  }

  private stack(obs: RecSimObservation): RecSimBanditObservation {
    const dim = this.documentSpace.flatDim;
    const item = new Float32Array(this.numCandidates * dim);
    for (let k = 0; k < this.numCandidates; k++) this.documentSpace.flatten(obs.doc[this.keys[k] as string], item, k * dim);
    return { item };
  }
}
