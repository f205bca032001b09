import { ActionError, ConfigError, EnvError, type Rng, type RngState } from '@loomrl/core';
import { CandidateSet } from './candidateSet.js';
import type { DocumentSampler, RecDocument } from './document.js';
import { fieldsOf, objectLike } from './plainState.js';
import type { RecResponse } from './response.js';
import type { RecSimStreams } from './streams.js';
import type { RecUserState, UserModel } from './user.js';

/** What builds a `SingleUserEnvironment`. */
export interface SingleUserEnvironmentOptions<
  S extends RecUserState<UO, DO>,
  D extends RecDocument<DO>,
  R extends RecResponse<RO>,
  UO,
  DO,
  RO,
> {
  readonly userModel: UserModel<S, D, R, UO, DO, RO>;
  readonly documentSampler: DocumentSampler<D, DO>;
  /** C, the number of candidates per candidate set. */
  readonly numCandidates: number;
  /** S ≤ C, the maximum slate length. */
  readonly slateSize: number;
  /** Whether a fresh candidate set is drawn on every reset and step (RLlib default true). */
  readonly resampleDocuments: boolean;
  /** The stream behind clicks and noise (RecSim's global numpy stream). */
  readonly behaviour: Rng;
  /** Accept slates that show one candidate twice (RecSim does; default true). */
  readonly allowDuplicateItems?: boolean;
}

/** `SingleUserEnvironment.getState()`: JSON-safe data. */
export interface SingleUserEnvironmentState {
  readonly user: unknown;
  readonly userStream: RngState;
  readonly documentSampler: { readonly stream: RngState; readonly nextId: number };
  readonly behaviour: RngState;
  readonly candidates: readonly unknown[];
}

/** What `SingleUserEnvironment.step` returns. */
export interface SingleUserStep<D, R, UO> {
  readonly user: UO;
  /** The candidate set after the step (fresh when resampling). */
  readonly documents: readonly D[];
  /** One response per slate position, in slate order. */
  readonly responses: readonly R[];
  readonly done: boolean;
}

/**
 * One user at a time facing slates drawn from a candidate set (RecSim's `SingleUserEnvironment`):
 * the constructor samples a candidate set; `reset` samples a user (and documents when resampling);
 * `step` shows a slate, collects responses, updates the user and resamples documents if asked.
 */
export class SingleUserEnvironment<S extends RecUserState<UO, DO>, D extends RecDocument<DO>, R extends RecResponse<RO>, UO, DO, RO> {
  readonly userModel: UserModel<S, D, R, UO, DO, RO>;
  readonly documentSampler: DocumentSampler<D, DO>;
  readonly numCandidates: number;
  readonly slateSize: number;
  readonly resampleDocuments: boolean;
  readonly allowDuplicateItems: boolean;
  private behaviourRng: Rng;
  private candidates: CandidateSet<D>;

  /** An environment that immediately samples its first candidate set. */
  constructor(options: SingleUserEnvironmentOptions<S, D, R, UO, DO, RO>) {
    const { numCandidates, slateSize } = options;
    if (!Number.isInteger(numCandidates) || numCandidates < 1) {
      throw new ConfigError(`SingleUserEnvironment: numCandidates must be an integer >= 1, got ${numCandidates}`);
    }
    if (!Number.isInteger(slateSize) || slateSize < 1 || slateSize > numCandidates) {
      throw new ConfigError(
        `SingleUserEnvironment: slateSize must be an integer in [1, numCandidates = ${numCandidates}], got ${slateSize}`,
      );
    }
    this.userModel = options.userModel;
    this.documentSampler = options.documentSampler;
    this.numCandidates = numCandidates;
    this.slateSize = slateSize;
    this.resampleDocuments = options.resampleDocuments;
    this.allowDuplicateItems = options.allowDuplicateItems ?? true;
    this.behaviourRng = options.behaviour;
    this.candidates = this.sampleCandidateSet();
  }

  /** The current candidate set. */
  get candidateSet(): CandidateSet<D> {
    return this.candidates;
  }

  /** The behaviour stream. */
  get behaviour(): Rng {
    return this.behaviourRng;
  }

  private sampleCandidateSet(): CandidateSet<D> {
    const documents = new Array<D>(this.numCandidates);
    for (let i = 0; i < this.numCandidates; i++) documents[i] = this.documentSampler.sampleDocument();
    return new CandidateSet(documents);
  }

  /**
   * Restarts every stream as a freshly constructed environment would: the user model's first user
   * and the first candidate set are drawn again, so `reseed(s)` then `reset()` equals building with `s`.
   */
  reseed(streams: RecSimStreams): void {
    this.userModel.sampler.reseed(streams.user);
    this.documentSampler.reseed(streams.document);
    this.behaviourRng = streams.behaviour;
    this.userModel.resetUser();
    this.candidates = this.sampleCandidateSet();
  }

  /**
   * Everything the next steps depend on, as JSON-safe data: the current user, the candidate set,
   * the user and document samplers' streams (and next document id) and the behaviour stream.
   */
  getState(): SingleUserEnvironmentState {
    return {
      user: fieldsOf(this.userModel.userState, 'the user state'),
      userStream: this.userModel.sampler.getStreamState(),
      documentSampler: this.documentSampler.getState(),
      behaviour: this.behaviourRng.getState(),
      candidates: this.candidates.documents.map((d, i) => fieldsOf(d, `candidate ${i}`)),
    };
  }

  /** Whether `getState()` can capture the current user and documents (they hold only plain data). */
  canCaptureState(): boolean {
    try {
      this.getState();
      return true;
    } catch (error) {
      if (error instanceof EnvError) return false;
      throw error;
    }
  }

  /** Continues from `getState()` output of an environment built with the same config; a foreign value is an `EnvError`. */
  setState(state: unknown): void {
    const s = state as Partial<SingleUserEnvironmentState> | null;
    if (typeof s !== 'object' || s === null || !Array.isArray(s.candidates) || s.candidates.length !== this.numCandidates) {
      throw new EnvError(
        `SingleUserEnvironment.setState: expected what getState() returned (${this.numCandidates} candidates), got ${JSON.stringify(state)?.slice(0, 120)}`,
      );
    }
    const template = this.candidates.documents[0] as D;
    const documents = s.candidates.map((fields, i) => objectLike(template, fields, `candidate ${i}`));
    this.userModel.restoreUser(objectLike(this.userModel.userState, s.user, 'the user state'));
    this.userModel.sampler.setStreamState(s.userStream as RngState);
    this.documentSampler.setState(s.documentSampler as SingleUserEnvironmentState['documentSampler']);
    this.behaviourRng.setState(s.behaviour as RngState);
    this.candidates = new CandidateSet(documents);
  }

  /** Samples a new user (and candidate set when resampling); returns the user observation and documents. */
  reset(): { readonly user: UO; readonly documents: readonly D[] } {
    this.userModel.resetUser();
    const user = this.userModel.observation();
    if (this.resampleDocuments) this.candidates = this.sampleCandidateSet();
    return { user, documents: this.candidates.documents };
  }

  /** Shows `slate` (1..S candidate positions; duplicates allowed unless `allowDuplicateItems` is false) to the user. */
  step(slate: ArrayLike<number>): SingleUserStep<D, R, UO> {
    if (slate.length < 1 || slate.length > this.slateSize) {
      throw new ActionError(`SingleUserEnvironment.step: a slate holds 1 to ${this.slateSize} positions, got ${slate.length}`);
    }
    for (let i = 0; i < slate.length; i++) {
      const p = slate[i] as number;
      if (!Number.isInteger(p) || p < 0 || p >= this.numCandidates) {
        throw new ActionError(`SingleUserEnvironment.step: slate position ${i} is ${p}, expected an integer in [0, ${this.numCandidates})`);
      }
      if (!this.allowDuplicateItems) {
        for (let j = 0; j < i; j++) {
          if (slate[j] === p) {
            throw new ActionError(
              `SingleUserEnvironment.step: slate [${Array.from(slate).join(', ')}] shows candidate ${p} at positions ${j} and ${i}; ` +
                'envConfig { allowDuplicateItems: false } asks for slates of distinct candidates.',
            );
          }
        }
      }
    }
    const documents = this.candidates.select(slate);
    const responses = this.userModel.simulateResponse(documents, this.behaviourRng);
    this.userModel.updateState(documents, responses, this.behaviourRng);
    this.documentSampler.updateState(documents, responses);
    const user = this.userModel.observation();
    const done = this.userModel.isTerminal();
    if (this.resampleDocuments) this.candidates = this.sampleCandidateSet();
    return { user, documents: this.candidates.documents, responses, done };
  }
}
