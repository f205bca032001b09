import { Box, Dict, Discrete, type Rng, type Space } from '@loomrl/core';
import { NO_CLICK, sampleCategorical } from '../framework/choiceModel.js';
import { MultinomialLogitChoiceModel } from '../framework/multinomialModels.js';
import type { ClickResponse, RecResponse } from '../framework/response.js';
import { float32Box } from '../framework/spaceValues.js';
import { type RecUserState, UserModel, UserSampler } from '../framework/user.js';
import type { IExpParameters } from './config.js';
import type { IExpDocument, IExpDocumentObservation } from './documents.js';

const EMPTY = new Float32Array(0);

/** An Interest Exploration user: a type and hidden, static topic affinities g. */
export class IExpUserState implements RecUserState<Float32Array, IExpDocumentObservation> {
  /** The user type t. */
  readonly userType: number;
  /** g, one per topic. */
  readonly affinities: Float64Array;

  /** A user. */
  constructor(userType: number, affinities: Float64Array) {
    this.userType = userType;
    this.affinities = affinities;
  }

  /** Empty: the affinities are hidden. */
  observation(): Float32Array {
    return EMPTY;
  }

  /** g[k] + quality. */
  scoreDocument(document: IExpDocumentObservation): number {
    return (this.affinities[document.clusterId] as number) + (document.quality[0] as number);
  }
}

/** Draws type t ~ Categorical(typeProbs), g = LogNormal(M[t], σ) element-wise (RecSim's `IEClusterUserSampler`). */
export class IExpUserSampler extends UserSampler<IExpUserState> {
  private readonly params: IExpParameters;

  /** A sampler over `rng`. */
  constructor(params: IExpParameters, rng: Rng) {
    super(rng);
    this.params = params;
  }

  protected createUser(rng: Rng): IExpUserState {
    const p = this.params;
    const t = sampleCategorical(p.userTypeProbs, rng);
    const means = p.userAffinityMeans[t] as number[];
    const affinities = new Float64Array(means.length);
    for (let k = 0; k < means.length; k++) affinities[k] = Math.exp((means[k] as number) + p.userAffinityStddev * rng.normal());
    return new IExpUserState(t, affinities);
  }

  /** The parameters. */
  get parameters(): IExpParameters {
    return this.params;
  }
}

/** The observable part of an Interest Exploration response. */
export interface IExpResponseObservation {
  readonly click: number;
  /** Shape (). */
  readonly quality: Float32Array;
  readonly clusterId: number;
}

/** An Interest Exploration response. */
export class IExpResponse implements RecResponse<IExpResponseObservation>, ClickResponse {
  readonly clicked: boolean;
  readonly quality: number;
  readonly cluster: number;

  /** A response. */
  constructor(clicked: boolean, quality: number, cluster: number) {
    this.clicked = clicked;
    this.quality = quality;
    this.cluster = cluster;
  }

  observation(): IExpResponseObservation {
    const quality = new Float32Array(1);
    quality[0] = this.quality;
    return { click: this.clicked ? 1 : 0, quality, clusterId: this.cluster };
  }
}

/** The response space of Interest Exploration. */
export function iexpResponseSpace(numTopics: number): Space<IExpResponseObservation> {
  return new Dict({
    click: new Discrete(2),
    quality: new Box({ low: 0, high: Number.POSITIVE_INFINITY, shape: [] }),
    clusterId: new Discrete(numTopics),
  }) as unknown as Space<IExpResponseObservation>;
}

/**
 * The Interest Exploration user (RecSim's `IEUserModel`): multinomial logit over scores g[k] + quality
 * with no-click logit 5; no state change, never terminal (the env needs a horizon).
 */
export class IExpUserModel extends UserModel<
  IExpUserState,
  IExpDocument,
  IExpResponse,
  Float32Array,
  IExpDocumentObservation,
  IExpResponseObservation
> {
  /** The choice model. */
  readonly choiceModel: MultinomialLogitChoiceModel;

  /** A model with `slateSize` positions over `sampler`'s users. */
  constructor(slateSize: number, sampler: IExpUserSampler) {
    const k = sampler.parameters.documentTopicProbs.length;
    super({ slateSize, sampler, observationSpace: float32Box({ low: 0, high: 0, shape: [0] }), responseSpace: iexpResponseSpace(k) });
    this.choiceModel = new MultinomialLogitChoiceModel({ noClickMass: sampler.parameters.noClickMass });
  }

  simulateResponse(documents: readonly IExpDocument[], rng: Rng): IExpResponse[] {
    this.choiceModel.scoreDocuments(
      this.user,
      documents.map((d) => d.observation()),
    );
    const chosen = this.choiceModel.chooseItem(rng);
    return documents.map((d, i) => new IExpResponse(chosen !== NO_CLICK && i === chosen, d.quality, d.cluster));
  }

  updateState(): void {}

  isTerminal(): boolean {
    return false;
  }
}
