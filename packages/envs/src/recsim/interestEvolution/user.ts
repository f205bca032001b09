import { Box, Dict, Discrete, type Rng, type Space } from '@loomrl/core';
import { NO_CLICK } from '../framework/choiceModel.js';
import { MultinomialProportionalChoiceModel } from '../framework/multinomialModels.js';
import type { ClickResponse, RecResponse } from '../framework/response.js';
import { float32Box } from '../framework/spaceValues.js';
import { type RecUserState, UserModel, UserSampler } from '../framework/user.js';
import type { IEvParameters } from './config.js';
import type { IEvVideo } from './documents.js';

/** An Interest Evolution user: interests u ∈ [−1, 1]^K (observed) and a time budget. */
export class IEvUserState implements RecUserState<Float32Array, Float32Array> {
  /** The parameters (shared by every user). */
  readonly params: IEvParameters;
  /** u, one entry per cluster. */
  readonly interests: Float64Array;
  /** Minutes left. */
  timeBudget: number;

  /** A user with `interests`. */
  constructor(params: IEvParameters, interests: Float64Array) {
    this.params = params;
    this.interests = interests;
    this.timeBudget = params.timeBudget;
  }

  /** A float32 copy of the interests (later updates never change a returned observation). */
  observation(): Float32Array {
    return Float32Array.from(this.interests);
  }

  /** u · features. */
  scoreDocument(features: Float32Array): number {
    let s = 0;
    for (let i = 0; i < features.length; i++) s += (this.interests[i] as number) * (features[i] as number);
    return s;
  }
}

/** Draws interests u ~ U[−1, 1)^K (RecSim's `UtilityModelUserSampler`). */
export class IEvUserSampler extends UserSampler<IEvUserState> {
  /** The parameters given to every user. */
  readonly params: IEvParameters;

  /** A sampler over `rng`. */
  constructor(params: IEvParameters, rng: Rng) {
    super(rng);
    this.params = params;
  }

  protected createUser(rng: Rng): IEvUserState {
    const interests = new Float64Array(this.params.clusterQualityMeans.length);
    for (let i = 0; i < interests.length; i++) interests[i] = rng.uniform(-1, 1);
    return new IEvUserState(this.params, interests);
  }
}

/** The observable part of an Interest Evolution response. */
export interface IEvResponseObservation {
  readonly click: number;
  /** Shape (). */
  readonly watchTime: Float32Array;
  /** Always 0, as in RecSim. */
  readonly liked: number;
  /** The shown document's quality, shape (). */
  readonly quality: Float32Array;
  readonly clusterId: number;
}

function scalar(value: number): Float32Array {
  const out = new Float32Array(1);
  out[0] = value;
  return out;
}

/** An Interest Evolution response: quality and cluster of the shown video, click and watch time. */
export class IEvResponse implements RecResponse<IEvResponseObservation>, ClickResponse {
  readonly clicked: boolean;
  readonly watchTime: number;
  readonly quality: number;
  readonly cluster: number;

  /** A response. */
  constructor(clicked: boolean, watchTime: number, quality: number, cluster: number) {
    this.clicked = clicked;
    this.watchTime = watchTime;
    this.quality = quality;
    this.cluster = cluster;
  }

  observation(): IEvResponseObservation {
    return {
      click: this.clicked ? 1 : 0,
      watchTime: scalar(this.watchTime),
      liked: 0,
      quality: scalar(this.quality),
      clusterId: this.cluster,
    };
  }
}

/** The response space of Interest Evolution. */
export function ievResponseSpace(numClusters: number): Space<IEvResponseObservation> {
  return new Dict({
    click: new Discrete(2),
    watchTime: new Box({ low: 0, high: 100, shape: [] }),
    liked: new Discrete(2),
    quality: new Box({ low: -100, high: 100, shape: [] }),
    clusterId: new Discrete(numClusters),
  }) as unknown as Space<IEvResponseObservation>;
}

/** The interest step size α(u) = y·(1 − |u|/x): the line through (0, y) and (±x, 0). */
export function ievInterestStepSize(params: IEvParameters, interest: number): number {
  return params.alphaYIntercept * (1 - Math.abs(interest) / params.alphaXIntercept);
}

/**
 * The Interest Evolution user (RecSim's `IEvUserModel`): proportional choice with weights u·f + 1 and
 * no-click weight 2; watch time min(budget, length); on a click the clicked cluster's interest moves
 * by ±α(1 − u_k) (up with probability (u_k + 1)/2) and the budget changes by −w + α_u·w·utility; without
 * a click the budget drops by the step penalty.
 */
export class IEvUserModel extends UserModel<IEvUserState, IEvVideo, IEvResponse, Float32Array, Float32Array, IEvResponseObservation> {
  /** The choice model. */
  readonly choiceModel: MultinomialProportionalChoiceModel;
  private readonly params: IEvParameters;

  /** A model with `slateSize` positions over `sampler`'s users. */
  constructor(slateSize: number, sampler: IEvUserSampler) {
    const k = sampler.params.clusterQualityMeans.length;
    super({ slateSize, sampler, observationSpace: float32Box({ low: -1, high: 1, shape: [k] }), responseSpace: ievResponseSpace(k) });
    this.params = sampler.params;
    this.choiceModel = new MultinomialProportionalChoiceModel({
      minNormalizer: this.params.minNormalizer,
      noClickMass: this.params.noClickMass,
    });
  }

  simulateResponse(documents: readonly IEvVideo[], rng: Rng): IEvResponse[] {
    const observations = documents.map((d) => d.observation());
    this.choiceModel.scoreDocuments(this.user, observations);
    const chosen = this.choiceModel.chooseItem(rng);
    const responses = new Array<IEvResponse>(documents.length);
    for (let i = 0; i < documents.length; i++) {
      const d = documents[i] as IEvVideo;
      const clicked = i === chosen && chosen !== NO_CLICK;
      responses[i] = new IEvResponse(clicked, clicked ? Math.min(this.user.timeBudget, d.videoLength) : 0, d.quality, d.cluster);
    }
    return responses;
  }

  updateState(documents: readonly IEvVideo[], responses: readonly IEvResponse[], rng: Rng): void {
    const user = this.user;
    const p = this.params;
    for (let i = 0; i < responses.length; i++) {
      const response = responses[i] as IEvResponse;
      if (!response.clicked) continue;
      const video = documents[i] as IEvVideo;
      const k = video.cluster;
      const uk = user.interests[k] as number;
      const expectedUtility = uk - p.minNormalizer;
      const delta = ievInterestStepSize(p, uk) * (1 - uk);
      const next = rng.random() < (uk + 1) / 2 ? uk + delta : uk - delta;
      user.interests[k] = Math.min(1, Math.max(-1, next));
      const received = p.userQualityFactor * expectedUtility + p.documentQualityFactor * video.quality;
      user.timeBudget += -response.watchTime + p.userUpdateAlpha * response.watchTime * received;
      return;
    }
    user.timeBudget -= p.stepPenalty;
  }

  isTerminal(): boolean {
    return this.user.timeBudget <= 0;
  }
}
