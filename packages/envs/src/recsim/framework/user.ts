import type { Rng, RngState, Space } from '@loomrl/core';
import type { RecDocument } from './document.js';
import type { RecResponse } from './response.js';

/** A user's latent state (RecSim's `AbstractUserState`). */
export interface RecUserState<UO, DO> {
  /** What the agent observes about the user. */
  observation(): UO;
  /** The raw score a choice model turns into a click weight for a document observation. */
  scoreDocument(documentObservation: DO): number;
}

/** Draws users from a private seeded stream (RecSim's `AbstractUserSampler`). */
export abstract class UserSampler<S> {
  private stream: Rng;

  /** A sampler drawing from `rng`. */
  constructor(rng: Rng) {
    this.stream = rng;
  }

  /** Builds one user, drawing from `rng`. */
  protected abstract createUser(rng: Rng): S;

  /** The next user. */
  sampleUser(): S {
    return this.createUser(this.stream);
  }

  /** Replaces the stream (e.g. on `reset({ seed })`). */
  reseed(rng: Rng): void {
    this.stream = rng;
  }

  /** The stream's state (for `Env.getState`). */
  getStreamState(): RngState {
    return this.stream.getState();
  }

  /** Continues the stream from `getStreamState()` output. */
  setStreamState(state: RngState): void {
    this.stream.setState(state);
  }
}

/** What every user model is built from. */
export interface UserModelOptions<S, UO, RO> {
  readonly slateSize: number;
  readonly sampler: UserSampler<S>;
  /** The space of `observation()`. */
  readonly observationSpace: Space<UO>;
  /** The space of one response's observation. */
  readonly responseSpace: Space<RO>;
}

/**
 * A user's behaviour: how they respond to a slate and how the slate changes them (RecSim's
 * `AbstractUserModel`). Like RecSim, the constructor samples one user at once, so the first
 * episode's user is the sampler's second draw. Behavioural randomness comes from the `rng` argument.
 */
export abstract class UserModel<S extends RecUserState<UO, DO>, D extends RecDocument<DO>, R extends RecResponse<RO>, UO, DO, RO> {
  /** The maximum number of documents in a slate. */
  readonly slateSize: number;
  /** The space of the user observation. */
  readonly observationSpace: Space<UO>;
  /** The space of one response's observation. */
  readonly responseSpace: Space<RO>;
  /** The user sampler. */
  readonly sampler: UserSampler<S>;
  /** The current user's state. */
  protected user: S;

  /** A model over `options.sampler`'s users; samples the first user. */
  constructor(options: UserModelOptions<S, UO, RO>) {
    this.slateSize = options.slateSize;
    this.observationSpace = options.observationSpace;
    this.responseSpace = options.responseSpace;
    this.sampler = options.sampler;
    this.user = options.sampler.sampleUser();
  }

  /** The current user's state (read-only by convention). */
  get userState(): S {
    return this.user;
  }

  /** Puts `user` in place of the current user (restoring a captured env state). */
  restoreUser(user: S): void {
    this.user = user;
  }

  /** Replaces the user with a freshly sampled one. */
  resetUser(): void {
    this.user = this.sampler.sampleUser();
  }

  /** The current user's observation. */
  observation(): UO {
    return this.user.observation();
  }

  /** One response per slate position, in slate order. */
  abstract simulateResponse(documents: readonly D[], rng: Rng): R[];

  /** Changes the user after seeing `documents` and responding with `responses`. */
  abstract updateState(documents: readonly D[], responses: readonly R[], rng: Rng): void;

  /** Whether the user's session is over. */
  abstract isTerminal(): boolean;
}
