import type { Rng, RngState, Space } from '@loomrl/core';

/** A recommendable item: a stable id and what the agent observes about it (RecSim's `AbstractDocument`). */
export interface RecDocument<DO> {
  /** A per-sampler counter starting at 0 that is never reset during the env's life. */
  readonly id: number;
  /** The document's observation; its element of the sampler's `observationSpace`. */
  observation(): DO;
}

/**
 * Draws documents from a private seeded stream (RecSim's `AbstractDocumentSampler`). Subclasses
 * implement `createDocument`; ids are assigned here.
 */
export abstract class DocumentSampler<D extends RecDocument<DO>, DO = ReturnType<D['observation']>> {
  /** The space of one document's observation. */
  readonly observationSpace: Space<DO>;
  private stream: Rng;
  private nextId = 0;

  /** A sampler drawing from `rng`, whose documents' observations lie in `observationSpace`. */
  constructor(observationSpace: Space<DO>, rng: Rng) {
    this.observationSpace = observationSpace;
    this.stream = rng;
  }

  /** Builds the document with `id`, drawing its hidden and observable features from `rng`. */
  protected abstract createDocument(id: number, rng: Rng): D;

  /** The next document. */
  sampleDocument(): D {
    const id = this.nextId;
    this.nextId += 1;
    return this.createDocument(id, this.stream);
  }

  /** Replaces the stream (e.g. on `reset({ seed })`) and restarts ids at 0. */
  reseed(rng: Rng): void {
    this.stream = rng;
    this.nextId = 0;
  }

  /** The stream's state and the next id (for `Env.getState`). */
  getState(): { readonly stream: RngState; readonly nextId: number } {
    return { stream: this.stream.getState(), nextId: this.nextId };
  }

  /** Continues from `getState()` output. */
  setState(state: { readonly stream: RngState; readonly nextId: number }): void {
    this.stream.setState(state.stream);
    this.nextId = state.nextId;
  }

  /** Lets a sampler react to what users did with its documents; stock samplers ignore it. */
  updateState(_documents: readonly D[], _responses: readonly unknown[]): void {}
}
