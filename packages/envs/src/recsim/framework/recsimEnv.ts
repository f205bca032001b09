import {
  ActionError,
  Dict,
  type Env,
  type EnvSpec,
  MultiDiscrete,
  type ResetOptions,
  type ResetResult,
  type Space,
  type StepResult,
  Tuple,
} from '@loomrl/core';
import { describeValue } from '@loomrl/core/internal';
import type { RecDocument } from './document.js';
import type { RecResponse } from './response.js';
import type { RewardFunction } from './rewards.js';
import type { SingleUserEnvironment } from './singleUserEnvironment.js';
import { zeroElement } from './spaceValues.js';
import type { RecSimStreams } from './streams.js';
import type { RecUserState } from './user.js';

/**
 * A RecSim observation with RLlib's structure: the user, the documents keyed "0".."C−1" in candidate
 * order (key k is the document action value k selects), and one response per slate position.
 */
export interface RecSimObservation<UO = unknown, DO = unknown, RO = unknown> {
  readonly user: UO;
  readonly doc: Readonly<Record<string, DO>>;
  readonly response: readonly RO[];
}

/** What builds a `RecSimEnv`. */
export interface RecSimEnvOptions<S extends RecUserState<UO, DO>, D extends RecDocument<DO>, R extends RecResponse<RO>, UO, DO, RO> {
  readonly environment: SingleUserEnvironment<S, D, R, UO, DO, RO>;
  /** Reward from the raw responses of a step. */
  readonly reward: RewardFunction<R>;
  /** The streams a `reset({ seed })` restarts from. */
  readonly streamsForSeed: (seed: number) => RecSimStreams;
}

/**
 * The Gymnasium-style env over a `SingleUserEnvironment` (RecSim's `RecSimGymEnv` plus RLlib's reset
 * and observation-space wrappers): actions are slates in `MultiDiscrete([C]*S)`; observations keep
 * RLlib's structure; `terminated` is the user model's terminal state and `truncated` is always false.
 * The response on reset is the space's zero element (no click, zeros), not a random sample.
 */
export class RecSimEnv<S extends RecUserState<UO, DO>, D extends RecDocument<DO>, R extends RecResponse<RO>, UO, DO, RO>
  implements Env<RecSimObservation<UO, DO, RO>, ArrayLike<number>>
{
  readonly observationSpace: Space<RecSimObservation<UO, DO, RO>>;
  readonly actionSpace: Space<ArrayLike<number>>;
  spec?: EnvSpec;
  /**
   * The simulation's state as JSON-safe data, so a checkpoint continues this env's episode bit for
   * bit. Present only when the user and document objects hold plain data (numbers, typed arrays,
   * plain objects); an env whose objects hold more (a `Rng`, a class instance) reports no state,
   * and a restored run starts new episodes in it.
   */
  readonly getState?: () => unknown;
  /** Continues from `getState()` output of an env built with the same config (present with `getState`). */
  readonly setState?: (state: unknown) => void;
  /** The simulation underneath. */
  readonly environment: SingleUserEnvironment<S, D, R, UO, DO, RO>;
  private readonly reward: RewardFunction<R>;
  private readonly streamsForSeed: (seed: number) => RecSimStreams;
  private readonly responseSpace: Space<RO>;
  private readonly keys: readonly string[];

  /** An env over `options.environment`. */
  constructor(options: RecSimEnvOptions<S, D, R, UO, DO, RO>) {
    const environment = options.environment;
    this.environment = environment;
    this.reward = options.reward;
    this.streamsForSeed = options.streamsForSeed;
    const { numCandidates, slateSize, userModel, documentSampler } = environment;
    this.responseSpace = userModel.responseSpace;
    this.keys = Array.from({ length: numCandidates }, (_, k) => String(k));
    const docSpaces: Record<string, Space<DO>> = {};
    for (const key of this.keys) docSpaces[key] = documentSampler.observationSpace;
    const responseSpaces = Array.from({ length: slateSize }, () => userModel.responseSpace);
    this.observationSpace = new Dict({
      user: userModel.observationSpace,
      doc: new Dict(docSpaces),
      response: new Tuple(responseSpaces),
    }) as unknown as Space<RecSimObservation<UO, DO, RO>>;
    this.actionSpace = new MultiDiscrete(new Array<number>(slateSize).fill(numCandidates)) as unknown as Space<ArrayLike<number>>;
    if (environment.canCaptureState()) {
      this.getState = () => environment.getState();
      this.setState = (state) => environment.setState(state);
    }
  }

  /** C. */
  get numCandidates(): number {
    return this.environment.numCandidates;
  }

  /** S. */
  get slateSize(): number {
    return this.environment.slateSize;
  }

  /** The space of one document observation. */
  get documentSpace(): Space<DO> {
    return this.environment.documentSampler.observationSpace;
  }

  /** Starts an episode; with `seed`, first restarts every stream as if the env were built with that seed. */
  reset(options?: ResetOptions): ResetResult<RecSimObservation<UO, DO, RO>> {
    if (options?.seed !== undefined) this.environment.reseed(this.streamsForSeed(options.seed));
    const { user, documents } = this.environment.reset();
    const response = new Array<RO>(this.slateSize);
    for (let i = 0; i < response.length; i++) response[i] = zeroElement(this.responseSpace);
    return { obs: { user, doc: this.documentMap(documents), response }, info: {} };
  }

  /** Shows the slate `action` (1..S candidate positions; duplicates allowed, as in RecSim). */
  step(action: ArrayLike<number>): StepResult<RecSimObservation<UO, DO, RO>> {
    if (action === null || typeof action !== 'object' || typeof (action as { length?: unknown }).length !== 'number') {
      throw new ActionError(`RecSimEnv.step: action ${describeValue(action)} is not a slate (an array of candidate positions)`);
    }
    const { user, documents, responses, done } = this.environment.step(action);
    const response = new Array<RO>(this.slateSize);
    for (let i = 0; i < responses.length; i++) response[i] = (responses[i] as R).observation();
    for (let i = responses.length; i < response.length; i++) response[i] = zeroElement(this.responseSpace);
    return {
      obs: { user, doc: this.documentMap(documents), response },
      reward: this.reward(responses),
      terminated: done,
      truncated: false,
      info: {},
    };
  }

  close(): void {}

  private documentMap(documents: readonly D[]): Record<string, DO> {
    const map: Record<string, DO> = {};
    for (let k = 0; k < documents.length; k++) map[this.keys[k] as string] = (documents[k] as D).observation();
    return map;
  }
}
